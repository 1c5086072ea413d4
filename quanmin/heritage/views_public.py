"""Residents' page of sports tourism, phone-sized: the quality routes, demonstration bases and
quality events near them (their home county and the city), and a route's stops and photo."""

from django.shortcuts import render

from quanmin.core.uploads import file_response

from . import selectors


def home(request):
    return render(request, "heritage/public/home.html", {
        "routes": list(selectors.public_routes(request.user)[:50]), "bases": selectors.public_bases(request.user),
        "events": list(selectors.public_events(request.user)[:20])})


def route(request, pk):
    found = selectors.public_route_or_404(pk)
    return render(request, "heritage/public/route.html", {"route": found, "stops": list(found.stops.all())})


def route_photo(request, pk):
    """A route's photo as residents see it on its page (an offered route's only); never a /media/ address."""
    found = selectors.public_route_or_404(pk)
    return file_response(found.photo, cache="public, max-age=86400")
