"""Charts drawn on the server as SVG (no script, no CDN), each meant to be shown with a table
of its numbers: the SVG is an image with a title and a description, the table is the data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 260
WIDTH = 720


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart and its data: `svg` for the eye, `rows` for the table beside it."""

    id: str
    title: str
    rows: tuple[tuple[str, int], ...]
    svg: Markup
    value_label: str = "Nombre"
    key_label: str = ""


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    id: str,
    title: str,
    rows: Sequence[tuple[str, int]],
    *,
    key_label: str = "",
    value_label: str = "Nombre",
) -> Chart:
    """Horizontal bars, one per row, labels on the left, values at the end of the bars."""
    rows = tuple((str(k), int(v)) for k, v in rows)
    top = max((v for _, v in rows), default=0) or 1
    inner = WIDTH - LABEL_WIDTH - 60
    height = max(1, len(rows)) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg class="chart chart-bars" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{id}-titre {id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{id}-titre">{escape(title)}</title>',
        f'<desc id="{id}-desc">{escape(_describe(rows))}</desc>',
    ]
    for i, (label, value) in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        width = round(inner * value / top, 1)
        parts.append(
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.7:.1f}" '
            f'text-anchor="end">{escape(_short(label, 30))}</text>'
            f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y}" width="{max(width, 1 if value else 0)}" '
            f'height="{BAR_HEIGHT}" rx="3"></rect>'
            f'<text class="chart-value" x="{LABEL_WIDTH + width + 6:.1f}" '
            f'y="{y + BAR_HEIGHT * 0.7:.1f}">{value}</text>'
        )
    parts.append("</svg>")
    return Chart(id, title, rows, Markup("".join(parts)), value_label, key_label)


def column_chart(
    id: str,
    title: str,
    rows: Sequence[tuple[str, int]],
    *,
    key_label: str = "",
    value_label: str = "Nombre",
    axis: Sequence[str] | None = None,
) -> Chart:
    """Vertical columns over time (years, months), labels under the axis (`axis`: shorter
    labels for the drawing; the table keeps the full ones)."""
    rows = tuple((str(k), int(v)) for k, v in rows)
    ticks = list(axis) if axis is not None and len(axis) == len(rows) else [k for k, _ in rows]
    top = max((v for _, v in rows), default=0) or 1
    height, base, left = 260, 220, 40
    step = (WIDTH - left - 10) / max(1, len(rows))
    bar = min(48.0, max(4.0, step * 0.7))
    every = max(1, round(len(rows) / 14))  # at most ~14 labels under the axis
    parts = [
        f'<svg class="chart chart-columns" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{id}-titre {id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{id}-titre">{escape(title)}</title>',
        f'<desc id="{id}-desc">{escape(_describe(rows))}</desc>',
        f'<line class="chart-axis" x1="{left}" y1="{base}" x2="{WIDTH - 5}" y2="{base}"></line>',
        f'<text class="chart-value" x="{left - 6}" y="20" text-anchor="end">{top}</text>',
    ]
    for i, (_, value) in enumerate(rows):
        x = left + i * step + (step - bar) / 2
        h = round((base - 30) * value / top, 1)
        parts.append(
            f'<rect class="chart-bar" x="{x:.1f}" y="{base - h:.1f}" width="{bar:.1f}" '
            f'height="{h}" rx="2"></rect>'
        )
        if value:
            parts.append(
                f'<text class="chart-value" x="{x + bar / 2:.1f}" y="{base - h - 4:.1f}" '
                f'text-anchor="middle">{value}</text>'
            )
        if i % every == 0:
            parts.append(
                f'<text class="chart-label" x="{x + bar / 2:.1f}" y="{base + 18}" '
                f'text-anchor="middle">{escape(_short(ticks[i], 10))}</text>'
            )
    parts.append("</svg>")
    return Chart(id, title, rows, Markup("".join(parts)), value_label, key_label)


def _describe(rows: Sequence[tuple[str, int]]) -> str:
    if not rows:
        return "Aucune donnée."
    best = max(rows, key=lambda r: r[1])
    total = sum(v for _, v in rows)
    return f"{len(rows)} valeurs, total {total} ; la plus forte : {best[0]} ({best[1]})."
