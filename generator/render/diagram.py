"""Draw a pathway as an accessible SVG flowchart: Pathway -> SVG text (no script, no font fetched).

The layout is made for narrow screens first (`WIDTH`; paper gets a wider one, `PRINT_WIDTH`): one column of full-width boxes (the main line, which
follows each step's first branch), with the other branches of a decision dropping into narrower
boxes on the right just below it, while the main line runs on down the left. A branch to a step
drawn elsewhere (a loop back, a jump ahead, a third branch) runs up or down its own lane on the
right edge. Text is real SVG <text>, wrapped by `diagram_text`, because SVG does not wrap text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import jinja2
from markupsafe import Markup

from generator.model import Pathway, PathwayStep
from generator.render.diagram_text import FONT_SIZE, measure_text, wrap_text

__all__ = ["FONT_SIZE", "measure_text", "wrap_text"]  # the drawing's text, measured there

# The drawing's coordinate system (viewBox units). At 320 CSS px wide the drawing is shown at about
# 90% of these units, so a 15-unit font still reads at about 13.5 px.
WIDTH = 320
# The drawing for paper: twice as wide, so most boxes hold one line and the whole drawing is about
# 1.4 times as tall as it is wide. Printed 150 mm wide (86% of A4 inside 18 mm margins), its 15-unit
# text is 3.5 mm, about 10 pt, and it is about 210 mm tall, so it fits one sheet with its heading.
PRINT_WIDTH = 640
MARGIN = 4
LINE_HEIGHT = 19
PADDING = 9
ROW_GAP = 34  # room between rows for an arrow and its label
SIDE_LEFT = 118  # where boxes of side branches start
MAIN_ARROW_X = 50  # the main line's arrows run down here, left of any side box
LANE_MARGIN = 6  # room between the boxes and the first lane on the right, when there are lanes
LANE_SPACING = 8  # one lane per arrow to a step drawn elsewhere
DECISION_POINT = 14  # how far a decision's pointed ends reach in from its box
FONT_FAMILY = "'Atkinson Hyperlegible', Arial, 'Liberation Sans', Helvetica, sans-serif"


@dataclass(frozen=True)
class TextLine:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Node:
    """A step drawn as a shape with its wrapped text."""

    step: PathwayStep
    x: float
    y: float
    width: float
    height: float
    lines: tuple[TextLine, ...]
    shape: str  # an SVG path's `d`

    @property
    def center_x(self) -> float:
        return self.x + self.width / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class Link:
    """An arrow from one step to another, with its branch label."""

    source: str
    target: str
    label: str
    path: str  # the line's `d`
    head: str  # the arrowhead's points
    label_at: tuple[float, float] | None
    label_anchor: str = "start"
    label_background: bool = False  # a label over a box's edge gets a white patch to stay legible

    @property
    def label_box(self) -> tuple[float, float, float, float] | None:
        """x, y, width, height of the patch behind the label."""
        if not (self.label_at and self.label_background):
            return None
        width = measure_text(self.label, bold=True) + 4
        x = self.label_at[0] - width + 2 if self.label_anchor == "end" else self.label_at[0] - 2
        return (
            round(x, 1),
            round(self.label_at[1] - FONT_SIZE + 2, 1),
            round(width, 1),
            FONT_SIZE + 1,
        )


@dataclass(frozen=True)
class Drawing:
    title: str
    description: str
    width: float
    height: float
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    id_prefix: str
    font_family: str = FONT_FAMILY
    font_size: int = FONT_SIZE


@dataclass
class _Plan:
    """Where each step goes: the main line in order, and the side steps hanging off each step."""

    main: list[str] = field(default_factory=list)
    side: dict[str, list[str]] = field(
        default_factory=dict
    )  # decision id -> side step ids, in order
    placed: set[str] = field(default_factory=set)


def plan_layout(pathway: Pathway) -> _Plan:
    """Choose the main line and the side branches; every step lands in exactly one place."""
    steps = {s.id: s for s in pathway.steps}
    plan = _Plan()

    def walk_main(start: str) -> None:
        current: str | None = start
        while current is not None and current not in plan.placed:
            plan.main.append(current)
            plan.placed.add(current)
            step = steps[current]
            for branch in step.branches[1:]:
                _walk_side(branch.to, current)
            following = step.branches[0].to if step.branches else None
            current = following if following in steps else None

    def _walk_side(start: str, owner: str) -> None:
        # A side branch holds the steps that follow it until the chain ends or meets a drawn step.
        # Side steps' own extra branches are drawn as lane links to wherever their target lands.
        current: str | None = start
        while current is not None and current in steps and current not in plan.placed:
            plan.side.setdefault(owner, []).append(current)
            plan.placed.add(current)
            step = steps[current]
            current = step.branches[0].to if step.branches else None

    walk_main(pathway.steps[0].id)
    for (
        step
    ) in pathway.steps:  # steps nothing leads to (the loader refuses them, but draw them anyway)
        if step.id not in plan.placed:
            walk_main(step.id)
    return plan


def _shape(kind: str, x: float, y: float, width: float, height: float) -> str:
    right, bottom, middle = x + width, y + height, y + height / 2
    if kind == "decision":
        point = DECISION_POINT
        return (
            f"M{x + point:g},{y:g} H{right - point:g} L{right:g},{middle:g} L{right - point:g},"
            f"{bottom:g} H{x + point:g} L{x:g},{middle:g} Z"
        )
    radius = min(height / 2, 18) if kind in ("start", "end") else 3
    return (
        f"M{x + radius:g},{y:g} H{right - radius:g} A{radius:g},{radius:g} 0 0 1 {right:g},"
        f"{y + radius:g} V{bottom - radius:g} A{radius:g},{radius:g} 0 0 1 {right - radius:g},"
        f"{bottom:g} H{x + radius:g} A{radius:g},{radius:g} 0 0 1 {x:g},{bottom - radius:g} "
        f"V{y + radius:g} A{radius:g},{radius:g} 0 0 1 {x + radius:g},{y:g} Z"
    )


def _make_node(step: PathwayStep, x: float, y: float, width: float) -> Node:
    inset = PADDING + (DECISION_POINT if step.kind == "decision" else 0)
    if step.kind in ("start", "end"):
        inset += 6  # the rounded ends eat into the first and last characters
    wrapped = wrap_text(step.text, width - 2 * inset)
    height = len(wrapped) * LINE_HEIGHT + 2 * PADDING
    # Centred text: one block reads more easily than a ragged left edge in a small box.
    first_baseline = y + PADDING + LINE_HEIGHT * 0.5 + FONT_SIZE * 0.35
    lines = tuple(
        TextLine(x + width / 2, round(first_baseline + i * LINE_HEIGHT, 1), line)
        for i, line in enumerate(wrapped)
    )
    return Node(step, x, y, width, height, lines, _shape(step.kind, x, y, width, height))


def _arrow_head(x: float, y: float, direction: str) -> str:
    """Points of a small filled triangle whose tip is at (x, y), pointing down, left or up."""
    if direction == "down":
        return f"{x - 5:g},{y - 9:g} {x + 5:g},{y - 9:g} {x:g},{y:g}"
    if direction == "up":
        return f"{x - 5:g},{y + 9:g} {x + 5:g},{y + 9:g} {x:g},{y:g}"
    return f"{x + 9:g},{y - 5:g} {x + 9:g},{y + 5:g} {x:g},{y:g}"  # left


def layout_pathway(pathway: Pathway, id_prefix: str = "pathway", width: int = WIDTH) -> Drawing:
    """Place every step and arrow of the pathway in a drawing `width` units wide."""
    plan = plan_layout(pathway)
    steps = {s.id: s for s in pathway.steps}
    # Arrows to steps drawn elsewhere each get their own lane on the right, so none run together.
    lane_links = [
        (step.id, branch.to)
        for step in pathway.steps
        for branch in step.branches
        if branch.to in steps and _is_lane_link(step.id, branch.to, plan)
    ]
    lanes = {link: index for index, link in enumerate(lane_links)}
    right = width - MARGIN - (LANE_MARGIN + LANE_SPACING * len(lane_links) if lane_links else 0)

    nodes: dict[str, Node] = {}
    y = MARGIN
    for main_id in plan.main:
        node = _make_node(steps[main_id], MARGIN, y, right - MARGIN)
        nodes[main_id] = node
        y = node.bottom + ROW_GAP
        side_y = y
        for side_id in plan.side.get(main_id, []):
            side = _make_node(steps[side_id], SIDE_LEFT, side_y, right - SIDE_LEFT)
            nodes[side_id] = side
            side_y = side.bottom + ROW_GAP
        y = max(y, side_y)
    height = y - ROW_GAP + MARGIN

    links = []
    exits: dict[str, int] = {}
    entries: dict[str, int] = {}
    for step in pathway.steps:
        for branch in step.branches:
            if branch.to not in nodes:
                continue
            lane = lanes.get((step.id, branch.to))
            if lane is None:
                links.append(_route_down(step.id, branch.to, branch.label, nodes, plan))
            else:
                lane_x = right + LANE_MARGIN / 2 + LANE_SPACING * lane + LANE_SPACING / 2
                exit_index = exits[step.id] = exits.get(step.id, -1) + 1
                entry_index = entries[branch.to] = entries.get(branch.to, -1) + 1
                links.append(
                    _route_by_lane(
                        step.id, branch.to, branch.label, nodes, lane_x, exit_index, entry_index
                    )
                )
    description = describe_pathway(pathway)
    return Drawing(
        pathway.title,
        description,
        width,
        round(height, 1),
        tuple(nodes.values()),
        tuple(links),
        id_prefix,
    )


def _is_lane_link(source: str, target: str, plan: _Plan) -> bool:
    """Whether an arrow cannot simply drop to the box below it."""
    if plan.side.get(source, [None])[0] == target:
        return False  # straight down into the first side box
    if source in plan.main and target in plan.main:
        return plan.main.index(target) != plan.main.index(source) + 1
    side_chain = next((chain for chain in plan.side.values() if source in chain), None)
    if side_chain is not None and target in side_chain:
        return side_chain.index(target) != side_chain.index(source) + 1
    return True


def _route_down(source: str, target: str, label: str, nodes: dict[str, Node], plan: _Plan) -> Link:
    start, end = nodes[source], nodes[target]
    if plan.side.get(source, [None])[0] == target:
        x = end.center_x  # into the first side box, from the decision's bottom edge above it
    elif source in plan.main:
        # With side boxes below, the main line keeps left of them.
        x = MAIN_ARROW_X if plan.side.get(source) else start.center_x
    else:
        x = end.center_x
    top = start.bottom
    return Link(
        source,
        target,
        label,
        f"M{x:g},{top:g} V{end.y - 9:g}",
        _arrow_head(x, end.y, "down"),
        (x + 6, top + 16) if label else None,
    )


def _right_edge(node: Node, y: float) -> float:
    """Where the node's outline is at height y on its right (a decision's side is pointed)."""
    if node.step.kind != "decision":
        return node.x + node.width
    return (
        node.x
        + node.width
        - DECISION_POINT * abs(y - (node.y + node.height / 2)) / (node.height / 2)
    )


def _route_by_lane(
    source: str,
    target: str,
    label: str,
    nodes: dict[str, Node],
    lane_x: float,
    exit_index: int = 0,
    entry_index: int = 0,
) -> Link:
    # Out of the source's right side, along the lane, into the target's right side. Leaving high
    # and arriving low keeps two arrows between the same boxes apart; a second arrow out of the same
    # box leaves a label's height lower, a second one into it arrives a little higher.
    start, end = nodes[source], nodes[target]
    from_y = round(
        min(start.y + start.height * 0.3 + exit_index * (FONT_SIZE + 3), start.bottom - 4), 1
    )
    to_y = round(max(end.y + end.height * 0.7 - entry_index * 7, end.y + 4), 1)
    from_x, to_x = _right_edge(start, from_y), _right_edge(end, to_y)
    path = f"M{from_x:g},{from_y:g} H{lane_x:g} V{to_y:g} H{to_x + 9:g}"
    label_at = (round(from_x - 4, 1), round(from_y - 4, 1)) if label else None
    return Link(
        source,
        target,
        label,
        path,
        _arrow_head(to_x, to_y, "left"),
        label_at,
        "end",
        label_background=bool(label),
    )


def describe_pathway(pathway: Pathway) -> str:
    """Say in one or two sentences what the drawing shows, for the SVG's <desc>."""
    ends = [s for s in pathway.steps if s.kind == "end"]
    decisions = [s for s in pathway.steps if s.kind == "decision"]
    parts = [f"A flowchart of {len(pathway.steps)} steps, starting: {pathway.steps[0].text}."]
    if decisions:
        parts.append(
            f"It has {len(decisions)} decision{'s' if len(decisions) != 1 else ''} "
            f"and {len(ends)} possible end{'s' if len(ends) != 1 else ''}."
        )
    parts.append("Every step is also listed as text with the diagram.")
    return " ".join(parts)


def render_pathway_svg(pathway: Pathway, id_prefix: str = "pathway", width: int = WIDTH) -> Markup:
    """Return the pathway as an inline SVG element (safe to put straight into HTML); `width` is
    WIDTH for screens (narrow first) or PRINT_WIDTH for paper."""
    drawing = layout_pathway(pathway, id_prefix, width)
    template = _environment().get_template("guide/pathway.svg.j2")
    return Markup(template.render(drawing=drawing).strip())


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
