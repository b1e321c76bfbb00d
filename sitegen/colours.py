"""Colours an author may give (a campaign's `accent`): read only as a hex code or a CSS named
colour, never as free text that would land in a style attribute; and their WCAG contrast, so
a colour used for text can be made readable on the theme's backgrounds.

Contrast follows WCAG 2.1 (relative luminance, ratio (L1 + 0.05) / (L2 + 0.05)).
"""

from __future__ import annotations

import re

RGB = tuple[int, int, int]
AA_TEXT = 4.5  # WCAG 2.1 AA for normal text
_HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")

# The CSS Color Module Level 4 named colours, packed as 'name:rrggbb' (transparent and
# currentcolor are not colours a campaign can be painted with).
_NAMED = dict(entry.split(":") for entry in """
aliceblue:f0f8ff antiquewhite:faebd7 aqua:00ffff aquamarine:7fffd4 azure:f0ffff beige:f5f5dc
bisque:ffe4c4 black:000000 blanchedalmond:ffebcd blue:0000ff blueviolet:8a2be2 brown:a52a2a
burlywood:deb887 cadetblue:5f9ea0 chartreuse:7fff00 chocolate:d2691e coral:ff7f50
cornflowerblue:6495ed cornsilk:fff8dc crimson:dc143c cyan:00ffff darkblue:00008b
darkcyan:008b8b darkgoldenrod:b8860b darkgray:a9a9a9 darkgreen:006400 darkgrey:a9a9a9
darkkhaki:bdb76b darkmagenta:8b008b darkolivegreen:556b2f darkorange:ff8c00 darkorchid:9932cc
darkred:8b0000 darksalmon:e9967a darkseagreen:8fbc8f darkslateblue:483d8b darkslategray:2f4f4f
darkslategrey:2f4f4f darkturquoise:00ced1 darkviolet:9400d3 deeppink:ff1493 deepskyblue:00bfff
dimgray:696969 dimgrey:696969 dodgerblue:1e90ff firebrick:b22222 floralwhite:fffaf0
forestgreen:228b22 fuchsia:ff00ff gainsboro:dcdcdc ghostwhite:f8f8ff gold:ffd700
goldenrod:daa520 gray:808080 green:008000 greenyellow:adff2f grey:808080 honeydew:f0fff0
hotpink:ff69b4 indianred:cd5c5c indigo:4b0082 ivory:fffff0 khaki:f0e68c lavender:e6e6fa
lavenderblush:fff0f5 lawngreen:7cfc00 lemonchiffon:fffacd lightblue:add8e6 lightcoral:f08080
lightcyan:e0ffff lightgoldenrodyellow:fafad2 lightgray:d3d3d3 lightgreen:90ee90 lightgrey:d3d3d3
lightpink:ffb6c1 lightsalmon:ffa07a lightseagreen:20b2aa lightskyblue:87cefa
lightslategray:778899 lightslategrey:778899 lightsteelblue:b0c4de lightyellow:ffffe0
lime:00ff00 limegreen:32cd32 linen:faf0e6 magenta:ff00ff maroon:800000 mediumaquamarine:66cdaa
mediumblue:0000cd mediumorchid:ba55d3 mediumpurple:9370db mediumseagreen:3cb371
mediumslateblue:7b68ee mediumspringgreen:00fa9a mediumturquoise:48d1cc mediumvioletred:c71585
midnightblue:191970 mintcream:f5fffa mistyrose:ffe4e1 moccasin:ffe4b5 navajowhite:ffdead
navy:000080 oldlace:fdf5e6 olive:808000 olivedrab:6b8e23 orange:ffa500 orangered:ff4500
orchid:da70d6 palegoldenrod:eee8aa palegreen:98fb98 paleturquoise:afeeee palevioletred:db7093
papayawhip:ffefd5 peachpuff:ffdab9 peru:cd853f pink:ffc0cb plum:dda0dd powderblue:b0e0e6
purple:800080 rebeccapurple:663399 red:ff0000 rosybrown:bc8f8f royalblue:4169e1
saddlebrown:8b4513 salmon:fa8072 sandybrown:f4a460 seagreen:2e8b57 seashell:fff5ee
sienna:a0522d silver:c0c0c0 skyblue:87ceeb slateblue:6a5acd slategray:708090 slategrey:708090
snow:fffafa springgreen:00ff7f steelblue:4682b4 tan:d2b48c teal:008080 thistle:d8bfd8
tomato:ff6347 turquoise:40e0d0 violet:ee82ee wheat:f5deb3 white:ffffff whitesmoke:f5f5f5
yellow:ffff00 yellowgreen:9acd32
""".split())
NAMED_COLOURS = frozenset(_NAMED)


class ColourError(ValueError):
    """Not a colour sitegen accepts; the message says what is."""


def parse_colour(text: str) -> str:
    """'#1F6F43', '1f6f43', '#1f6' or 'forestgreen' as '#rrggbb' (lower case)."""
    value = text.strip()
    named = _NAMED.get(value.lower())
    if named:
        return "#" + named
    match = _HEX.fullmatch(value)
    if not match:
        raise ColourError(f"'{text}' is not a colour")
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits


def rgb(colour: str) -> RGB:
    digits = colour.lstrip("#")
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def hex_of(value: tuple[float, ...]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in value)


def luminance(colour: str) -> float:
    """WCAG relative luminance of '#rrggbb'."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, from 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_on(colour: str, backgrounds: tuple[str, ...], minimum: float = AA_TEXT) -> str:
    """`colour` itself when it reaches `minimum` contrast on every background, else the
    nearest variant that does: mixed towards black on light backgrounds, towards white on
    dark ones (the hue stays, so the campaign still reads as its colour)."""
    def enough(candidate: str) -> bool:
        return all(contrast(candidate, bg) >= minimum for bg in backgrounds)

    if enough(colour):
        return colour
    dark_backgrounds = sum(luminance(bg) for bg in backgrounds) / len(backgrounds) < 0.18
    target = (255, 255, 255) if dark_backgrounds else (0, 0, 0)
    base = rgb(colour)
    for step in range(1, 101):  # 1 % at a time: the first that passes is the closest
        mix = step / 100
        candidate = hex_of(tuple(c + (t - c) * mix for c, t in zip(base, target, strict=True)))
        if enough(candidate):
            return candidate
    return hex_of(target)
