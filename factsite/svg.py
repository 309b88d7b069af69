"""SVG images from content/: read as XML, checked against an allow-list, published as written again.

An SVG opened by itself is a document of the site's origin, so script in it runs there. A pattern
over the bytes cannot tell what a browser will read (a namespace prefix, an entity, a character
reference, another encoding all hide `<script>` from it), so the file is parsed by expat, the
standard library's XML parser, with every way of declaring something refused: a DTD with
declarations, entities (beyond XML's five and character references), external references and
processing instructions (`<?xml-stylesheet?>` can apply XSLT or CSS). expat decodes UTF-8, UTF-16
and single-byte encodings a file declares (Latin-1, Windows-1252), and refuses the rest (UTF-32,
UTF-7, Shift_JIS, gzip).

Then every element must be an SVG element on ELEMENTS and every attribute on ATTRIBUTES (or
aria-*, data-*); links may only lead where LINK_TARGETS allows, and styles and presentation
attributes may only call FUNCTIONS, url() only to a fragment of the image itself.

What is published is the image written again from what was parsed, in UTF-8, never the bytes as
given: a reader's browser then reads exactly what was checked, whatever its parser would make of
the original's encoding or oddities. Comments, the DOCTYPE line and drawing programs' bookkeeping
(Inkscape's and Sodipodi's attributes, <metadata>) are left out.
"""

from __future__ import annotations

import re
from xml.parsers import expat
from xml.parsers.expat import XMLParserType
from xml.sax.saxutils import escape, quoteattr

from .errors import ContentError

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
# Drawing programs' own data (Inkscape, Sodipodi, Illustrator's and RDF metadata): inert, left out.
EDITOR_NAMESPACES = {
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://creativecommons.org/ns#",
    "http://purl.org/dc/elements/1.1/",
    "http://ns.adobe.com/AdobeIllustrator/10.0/",
    "http://ns.adobe.com/AdobeSVGViewerExtensions/3.0/",
}  # fmt: skip
LEFT_OUT = {"metadata"}  # SVG elements holding only such data
ELEMENTS = {
    "svg", "g", "defs", "symbol", "use", "title", "desc", "a", "image",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix",
    "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA",
    "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology",
    "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
}  # fmt: skip
ATTRIBUTES = {
    "id", "class", "style", "lang", "tabindex", "role", "focusable", "version", "baseProfile",
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "width", "height",
    "d", "points", "pathLength", "transform", "viewBox", "preserveAspectRatio",
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "opacity", "color",
    "display", "visibility", "overflow", "clip", "clip-path", "clip-rule", "mask", "filter", "paint-order",
    "vector-effect", "shape-rendering", "text-rendering", "image-rendering", "color-interpolation",
    "color-interpolation-filters", "color-rendering", "isolation", "mix-blend-mode",
    "marker-start", "marker-mid", "marker-end", "markerWidth", "markerHeight", "markerUnits", "refX",
    "refY", "orient",
    "font", "font-family", "font-size", "font-size-adjust", "font-weight", "font-style", "font-variant",
    "font-stretch", "text-anchor", "dominant-baseline", "alignment-baseline", "baseline-shift",
    "letter-spacing", "word-spacing", "text-decoration", "writing-mode", "direction", "unicode-bidi",
    "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset", "method", "spacing", "side",
    "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "spreadMethod",
    "patternUnits", "patternContentUnits", "patternTransform", "clipPathUnits", "maskUnits",
    "maskContentUnits", "filterUnits", "primitiveUnits",
    "in", "in2", "result", "stdDeviation", "mode", "operator", "k1", "k2", "k3", "k4", "values", "type",
    "tableValues", "slope", "intercept", "amplitude", "exponent", "flood-color", "flood-opacity",
    "lighting-color", "baseFrequency", "numOctaves", "seed", "stitchTiles", "scale", "xChannelSelector",
    "yChannelSelector", "kernelMatrix", "order", "divisor", "bias", "targetX", "targetY", "edgeMode",
    "preserveAlpha", "radius", "surfaceScale", "diffuseConstant", "specularConstant",
    "specularExponent", "kernelUnitLength", "azimuth", "elevation", "z", "pointsAtX", "pointsAtY",
    "pointsAtZ", "limitingConeAngle", "enable-background",
    "href",
}  # fmt: skip
NAMESPACED_ATTRIBUTES = {(XLINK, "href"), (XLINK, "title"), (XML, "space"), (XML, "lang")}
TEXT_ATTRIBUTES = {"id", "class", "lang", "role", "title"}  # words, not styles: their values are not CSS
# Where each element's href may lead: a fragment of this image (#shape) always; an <a> also to a
# page (relative, http:, https:, mailto:), an <image> to an image file of the site or a raster
# image in a data: address. Never another scheme, nor another host for anything loaded.
LINK_TARGETS = {"a": "page", "image": "image"}
RASTER = re.compile(r"[^?#]+\.(?:png|jpe?g|gif|webp|avif)(?:[?#].*)?", re.I | re.S)
RASTER_DATA = re.compile(r"data:image/(?:png|jpeg|gif|webp|avif);base64,[A-Za-z0-9+/=\s]*", re.I)
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
FUNCTIONS = {
    "rgb", "rgba", "hsl", "hsla", "url", "calc", "matrix", "translate", "translatex", "translatey",
    "scale", "scalex", "scaley", "rotate", "skewx", "skewy",
}  # fmt: skip
FUNCTION = re.compile(r"(?<![\w-])([A-Za-z_-][\w-]*)\s*\(")  # from a word's start only: linear time
URL_TARGET = re.compile(r"""url\s*\(\s*(['"]?)\s*([^'")\s]*)""", re.I)
SAVE_AS = "save the image as PNG, or remove it"
MAX_BYTES = 10_000_000  # an image larger than this is refused before parsing: reading stays within seconds


class Refused(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def link_problem(element: str, value: str) -> str | None:
    """Why an href on `element` may not lead to `value` (as a browser reads it), or None."""
    if value.startswith("#"):
        return None
    allowed = LINK_TARGETS.get(element)
    scheme = SCHEME.match(value)
    if "\\" in value or value.startswith("//"):
        problem = "leads to another host"
    elif (allowed == "page" and (not scheme or scheme.group(1).lower() in ("http", "https", "mailto"))) or (
        allowed == "image" and (RASTER_DATA.fullmatch(value) or (not scheme and RASTER.fullmatch(value)))
    ):
        return None
    else:
        problem = "is not allowed"
    where = {
        "page": "a fragment (#id), a page or an http:, https: or mailto: address",
        "image": (
            "a fragment (#id), a PNG, JPEG, GIF, WebP or AVIF file of the site, or such an image as data:image/..."
        ),
    }
    destinations = where.get(allowed or "", "a fragment of the image (#id)")
    return f'the link "{value[:80]}" on <{element}> {problem}: it may lead only to {destinations}'


def value_problem(name: str, value: str) -> str | None:
    """Why a style or presentation attribute's value is refused: only FUNCTIONS, url() only to a fragment."""
    if "\\" in value:
        return f"{name}= holds a backslash (a CSS escape), which could hide what it calls"
    if "@" in value:
        return f"{name}= holds an @ rule, which SVG images here may not use"
    for function in FUNCTION.findall(value):
        if function.lower() not in FUNCTIONS:
            return f"{name}= calls {function}(), which SVG images here may not use"
    for _, target in URL_TARGET.findall(value):
        if not target.startswith("#"):
            return f'{name}= loads "{target[:80]}": url() may only name a fragment of the image (url(#id))'
    return None


def browser_url(value: str) -> str:
    """An address as a browser reads it: tabs and line breaks removed, spaces and controls trimmed."""
    return re.sub(r"[\t\n\r]", "", value).strip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11"
        "\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
    )


def split_name(name: str) -> tuple[str, str]:
    namespace, _, local = name.rpartition(" ")
    return namespace, local


def kept_attributes(element: str, attributes: dict[str, str], line: int) -> list[tuple[str, str]]:
    """The attributes as they are published ((name as written out, value)); Refused for one not allowed."""
    kept = []
    for name, value in attributes.items():
        namespace, local = split_name(name)
        if namespace in EDITOR_NAMESPACES:
            continue
        written = {XLINK: f"xlink:{local}", XML: f"xml:{local}", "": local}.get(namespace, f"{{{namespace}}}{local}")
        allowed = (
            (namespace, local) in NAMESPACED_ATTRIBUTES
            if namespace
            else (local in ATTRIBUTES or local.startswith(("aria-", "data-")))
        )
        if not allowed:
            why = "an event handler" if local.lower().startswith("on") else "not allowed"
            raise Refused(line, f"the attribute {written}= on <{element}> is {why} in an SVG image: {SAVE_AS}")
        written_value = browser_url(value) if local == "href" else value
        if local == "href":
            problem = link_problem(element, written_value)
        elif local in TEXT_ATTRIBUTES or local.startswith(("aria-", "data-")) or namespace == XLINK:
            problem = None
        else:
            problem = value_problem(written, written_value)
        if problem:
            raise Refused(line, f"{problem}: {SAVE_AS}")
        kept.append((written, written_value))
    return kept


class _Rewriter:
    """expat's handlers: refuse what is not allowed, write out what is."""

    def __init__(self, parser: XMLParserType) -> None:
        self.parser = parser
        self.out: list[str] = []
        self.depth = 0  # elements open
        self.skipping = 0  # of which inside an element left out

    def line(self) -> int:
        return self.parser.CurrentLineNumber

    def start(self, name: str, attributes: dict[str, str]) -> None:
        namespace, local = split_name(name)
        if self.depth == 0 and (namespace, local) != (SVG, "svg"):
            raise Refused(
                self.line(),
                f'an SVG image starts with <svg xmlns="{SVG}">, not <{local}>'
                + (f" of {namespace or 'no namespace'}" if namespace != SVG else ""),
            )
        self.depth += 1
        if self.skipping or namespace in EDITOR_NAMESPACES or (namespace == SVG and local in LEFT_OUT):
            self.skipping += 1
            return
        if namespace != SVG:
            raise Refused(
                self.line(), f"<{local}> of {namespace or 'no namespace'} is not allowed in an SVG image: {SAVE_AS}"
            )
        if local not in ELEMENTS:
            raise Refused(self.line(), f"<{local}> is not allowed in an SVG image: {SAVE_AS}")
        kept = kept_attributes(local, attributes, self.line())
        declarations = f' xmlns="{SVG}" xmlns:xlink="{XLINK}"' if self.depth == 1 else ""
        self.out.append(f"<{local}{declarations}" + "".join(f" {n}={attribute_value(v)}" for n, v in kept) + ">")

    def end(self, name: str) -> None:
        self.depth -= 1
        if self.skipping:
            self.skipping -= 1
            return
        self.out.append(f"</{split_name(name)[1]}>")

    def text(self, data: str) -> None:
        if not self.skipping:
            self.out.append(escape(data))

    def doctype(self, name: str, system_id: str | None, public_id: str | None, has_internal_subset: bool) -> None:
        if has_internal_subset:
            raise Refused(
                self.line(), f"the image declares a DTD (<!DOCTYPE {name} [...]>), which may define entities: {SAVE_AS}"
            )

    def entity(self, name: str, *_: object) -> None:
        raise Refused(self.line(), f"the image declares the entity {name}: {SAVE_AS}")

    def skipped_entity(self, name: str, *_: object) -> None:
        raise Refused(self.line(), f"the image uses the entity &{name}; which it does not define: {SAVE_AS}")

    def external_entity(self, *_: object) -> int:
        raise Refused(self.line(), f"the image refers to an external entity: {SAVE_AS}")

    def processing_instruction(self, target: str, data: str) -> None:
        raise Refused(
            self.line(), f"the processing instruction <?{target} ...?> is not allowed in an SVG image: {SAVE_AS}"
        )


def attribute_value(value: str) -> str:
    """A quoted attribute value that reads back as `value`: line breaks and tabs kept as references."""
    return quoteattr(value, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def clean_svg(data: bytes, shown: str) -> bytes:
    """The SVG image `data` written again from what was parsed (UTF-8); ContentError at the line of
    the first thing refused, or of the first error in its XML."""
    if len(data) > MAX_BYTES:
        raise ContentError(
            shown,
            None,
            f"the SVG image is {len(data):,} bytes, over the {MAX_BYTES:,} an SVG image may have:"
            " simplify it, or save it as PNG",
        )
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    rewriter = _Rewriter(parser)
    parser.StartElementHandler = rewriter.start
    parser.EndElementHandler = rewriter.end
    parser.CharacterDataHandler = rewriter.text
    parser.StartDoctypeDeclHandler = rewriter.doctype
    parser.EntityDeclHandler = rewriter.entity
    parser.UnparsedEntityDeclHandler = rewriter.entity
    parser.SkippedEntityHandler = rewriter.skipped_entity
    parser.ExternalEntityRefHandler = rewriter.external_entity
    parser.ProcessingInstructionHandler = rewriter.processing_instruction
    try:
        parser.Parse(data, True)
    except Refused as refused:
        raise ContentError(shown, refused.line, refused.message) from None
    except expat.ExpatError as exc:
        raise ContentError(
            shown,
            exc.lineno,
            f"cannot read the SVG image as XML ({expat.ErrorString(exc.code)}): save it as UTF-8 SVG, or as PNG",
        ) from None
    except (LookupError, ValueError) as exc:  # an encoding Python's codecs name but expat cannot use
        raise ContentError(shown, 1, f"cannot read the SVG image ({exc}): save it as UTF-8 SVG, or as PNG") from None
    return "".join(rewriter.out).encode()
