"""The QR code as inline SVG: well-formed, scalable, on a white quiet zone, with an escaped name."""

import re
import xml.etree.ElementTree as ET

import qrcode

from quanmin.core.qr import qr_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_the_svg_scales_has_a_white_background_and_an_accessible_name():
    svg = str(qr_svg("BK-7Q2M", label='Check-in <"code">'))
    root = ET.fromstring(svg)  # well-formed, no XML declaration left in front
    assert "width" not in root.attrib and "height" not in root.attrib
    assert root.attrib["class"] == "qr" and root.attrib["role"] == "img"
    assert root.attrib["aria-label"] == 'Check-in <"code">'  # escaped in the text, whole once parsed
    modules = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    modules.add_data("BK-7Q2M")
    modules.make(fit=True)
    side = str(modules.modules_count + 2 * 4)
    rect = root.find(f"{SVG}rect")
    assert rect is not None and rect.attrib == {"width": side, "height": side, "fill": "#fff"}


def test_the_label_defaults_to_the_data_and_different_data_draws_a_different_code():
    a, b = str(qr_svg("https://example.org/r/e/A1/")), str(qr_svg("https://example.org/r/e/B2/"))
    assert 'aria-label="https://example.org/r/e/A1/"' in a
    path = re.compile(r'<path d="([^"]+)"')
    assert path.search(a).group(1) != path.search(b).group(1)
