"""Compile every Numba loop of :mod:`.kernels` for the types the analysis passes them, into Numba's cache.

A small analysis with suggestions exercises them all. ``make setup`` runs it (``python -m
quanmin.analytics.circle.warm``), so the first real analysis does not spend its first seconds
compiling. It is a module of its own, above the analysis, so that kernels imports nothing back.
"""

from . import analyse, generate_candidates, generate_facilities, generate_grid_network, generate_residents


def warm() -> None:
    network = generate_grid_network(400, seed=0)
    analyse(
        network,
        generate_facilities(network, 12),
        generate_residents(network, 300),
        suggest_k=2,
        candidates=generate_candidates(network, 10),
    )


if __name__ == "__main__":
    warm()
