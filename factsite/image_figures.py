"""A Markdown extension: an image alone in its paragraph, with a title or a credit line after it,
becomes a figure with a caption.

    ![What the map shows, for those who cannot see it](map.png "The caption, for every reader")

    Map: [OpenStreetMap contributors](https://www.openstreetmap.org/copyright), ODbL
    {: .credit }

The image's title is its caption: plain Markdown, which other Markdown tools show as the image's
tooltip, while the alt text stays the image's description. The credit is the paragraph right after
it marked `{: .credit }` (an attribute list, as `{: .claim-text }` is), so it may link to the
author and the licence. An image with neither stays as it is. The figure is then sanitized like
the rest of the page (sanitize.ALLOWED_TAGS).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import markdown

CREDIT_CLASS = "credit"
FIGURE_CLASS = "image"


def lone_image(paragraph: ET.Element) -> ET.Element | None:
    """The paragraph's image when it holds nothing else (spaces aside)."""
    children = list(paragraph)
    if paragraph.tag != "p" or len(children) != 1 or children[0].tag != "img":
        return None
    if (paragraph.text or "").strip() or (children[0].tail or "").strip():
        return None
    return children[0]


def is_credit(element: ET.Element | None) -> bool:
    return element is not None and element.tag == "p" and CREDIT_CLASS in (element.get("class") or "").split()


def as_figure(paragraph: ET.Element, image: ET.Element, credit: ET.Element | None) -> ET.Element:
    """A <figure> of the image, its title as the caption and the credit paragraph after it; the
    paragraph's attributes ({: #id } after the image) go to the figure."""
    classes = " ".join([FIGURE_CLASS, *(paragraph.get("class") or "").split()])
    figure = ET.Element("figure", {**paragraph.attrib, "class": classes})
    figure.text = "\n"
    caption_text = image.attrib.pop("title", "").strip()
    image.tail = "\n"
    figure.append(image)
    caption = ET.SubElement(figure, "figcaption")
    if caption_text:
        ET.SubElement(caption, "p").text = caption_text
    if credit is not None:
        caption.append(credit)
    caption.tail = "\n"
    figure.tail = paragraph.tail
    return figure


class ImageFigures(markdown.treeprocessors.Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            children = list(parent)
            kept: list[ET.Element] = []
            credited: ET.Element | None = None  # the credit the figure just made holds
            for position, child in enumerate(children):
                if child is credited:
                    continue
                image = lone_image(child)
                after = children[position + 1] if position + 1 < len(children) else None
                credit = after if is_credit(after) else None
                if image is None or (credit is None and not (image.get("title") or "").strip()):
                    kept.append(child)
                else:
                    kept.append(as_figure(child, image, credit))
                    credited = credit
            if kept != children:
                parent[:] = kept


class ImageFiguresExtension(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After attr_list (8) has set the credit's class; before smarty (6) and the table of contents (5).
        md.treeprocessors.register(ImageFigures(md), "factsite_image_figures", 7.5)
