"""The page's accessible building blocks (Solara components): headings for the page's outline, an
image with its text alternative, a live region that a screen reader reads when it changes, and
`PageAccessibility`, which keeps the document's `<html lang>` equal to the page's language (as the
address keeps its `lang=`) and hides the images inside `AltImage` (app/a11y.vue). What the text
alternatives say is app/alttext.py."""

from __future__ import annotations

import ipyvuetify as vuetify
import solara

from app.i18n import SOURCE


@solara.component_vue("a11y.vue")
def PageAccessibility(lang: str = SOURCE):
    """Sets the document's language (`<html lang>`) to `lang`, and gives the <img> inside each
    `AltImage` an empty alt (its wrapper carries the text), in the browser; shows nothing."""


def heading(text: str, level: int, css_class: str) -> vuetify.Html:
    """A heading element (h1, h2, ...) with `text`: the page's outline for screen readers."""
    return vuetify.Html.element(tag=f"h{level}", children=[text], class_=css_class)


@solara.component
def AltImage(png: bytes, alt: str):
    """A PNG with its text alternative. solara.Image draws an <img> that takes no alt text, so the
    image sits in an element with role="img" and the text as its aria-label: a screen reader reads
    the text, and the <img> inside is presentational (ARIA's img role hides its children)."""
    with solara.Div(classes=["sahel-alt-image"], attributes={"role": "img", "aria-label": alt}):
        solara.Image(png, width="100%")


@solara.component
def LiveRegion(label: str, children: list | None = None):
    """Its children in a polite live region (role="status", named `label`): a screen reader says
    their new text (the date after a Step) when it is idle, as one phrase (aria-atomic)."""
    solara.Div(
        children=children or [],
        classes=["sahel-live-region"],
        attributes={"role": "status", "aria-live": "polite", "aria-atomic": "true", "aria-label": label},
    )
