"""The check-in code as a QR code, drawn as inline SVG (no image files, no network, crisp at any size)."""

import re

import qrcode
import qrcode.image.svg
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, label: str = "") -> SafeString:
    """An <svg> element that scales to its container; dark modules on a white quiet zone so that a
    phone screen in dark mode still scans."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4,
                       image_factory=qrcode.image.svg.SvgPathImage)
    qr.add_data(data)
    qr.make(fit=True)
    svg = qr.make_image().to_string(encoding="unicode")
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    size = qr.modules_count + 2 * qr.border
    # Replace the fixed millimetre size with a scalable one and give the code an accessible name.
    svg = re.sub(r'<svg width="[^"]*" height="[^"]*"',
                 f'<svg class="qr" role="img" aria-label="{escape(label or data)}" preserveAspectRatio="xMidYMid meet"',
                 svg, count=1)
    svg = svg.replace(">", f'><rect width="{size}" height="{size}" fill="#fff"/>', 1)
    return mark_safe(svg)  # built here from the code; the label is escaped
