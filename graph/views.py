"""The researcher page's trust and graph panels, loaded by htmx after the (cached) page, the
graph explorer, and the page that explains the trust score."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from bzpeer.htmx import HtmxHttpRequest, wants_fragment
from graph.forms import DEPTH_CHOICES, KIND_CHOICES, ExplorerForm
from graph.panels import Panel, PanelState, graph_slice_ensure, trust_score_ensure
from graph.selectors import (
    graph_explore,
    graph_slice_picture,
    slice_picture_data,
    trust_band_get,
)
from graph.trust import BANDS
from profiles.selectors.researcher import author_brief_get_or_404


def _asks(request: HttpRequest) -> dict[str, bool]:
    """What a panel's request may do: a load or "Try again" (no ?poll) may queue the
    computation; a poll (?poll=1) may queue a silent one once more, and its panel then polls
    with ?poll=2, which only reports (so a dead worker ends in "not answering", not in an
    endless poll)."""
    poll = request.GET.get("poll")
    return {"may_queue": poll is None, "may_requeue": poll == "1"}


def _panel_response(
    request: HtmxHttpRequest, fragment: str, panel: Panel, context: dict
) -> HttpResponse:
    context |= {
        "panel": panel,
        "polling": panel.state == PanelState.BUILDING,
        "next_poll": 2 if panel.requeued or request.GET.get("poll") == "2" else 1,
    }
    # Without JavaScript the panel's link opens it as a page of its own.
    if wants_fragment(request):
        return render(request, f"graph/{fragment}.html", context)
    return render(request, "graph/panel_page.html", context | {"fragment": fragment})


@never_cache
@require_GET
@vary_on_headers("HX-Request")
def trust_panel(request: HtmxHttpRequest, author_id: str) -> HttpResponse:
    """The trust score and its breakdown, or the state of its computation (_asks)."""
    author = author_brief_get_or_404(openalex_id=author_id)
    panel = trust_score_ensure(author=author, **_asks(request))
    trust = panel.row
    context = {
        "author": author,
        "trust": trust if trust.has_result else None,
        "band": trust_band_get(label=trust.label),
    }
    return _panel_response(request, "_trust_panel", panel, context)


@never_cache
@require_GET
@vary_on_headers("HX-Request")
def graph_panel(request: HtmxHttpRequest, author_id: str) -> HttpResponse:
    author = author_brief_get_or_404(openalex_id=author_id)
    panel = graph_slice_ensure(author=author, **_asks(request))
    picture = graph_slice_picture(graph_slice=panel.row) if panel.row.has_result else None
    context = {"author": author, "picture": picture}
    return _panel_response(request, "_graph_panel", panel, context)


@require_GET
@vary_on_headers("HX-Request")
def graph_explorer(request: HtmxHttpRequest, author_id: str) -> HttpResponse:
    """A larger slice around one researcher; the filters (kinds, depth) re-render the
    graph-explorer fragment through htmx, and are a plain GET form without JavaScript."""
    author = author_brief_get_or_404(openalex_id=author_id)
    kinds, depth = ExplorerForm(request.GET).filters()
    recentre = "?" + urlencode([("kind", k) for k in kinds] + [("depth", depth)])
    picture = graph_explore(author=author, depth=depth, kinds=kinds, recentre=recentre)
    context = {
        "author": author,
        "picture": picture,
        "graph_data": slice_picture_data(picture),
        "kinds": kinds,
        "depth": depth,
        "kind_choices": KIND_CHOICES,
        "depth_choices": [(int(value), label) for value, label in DEPTH_CHOICES],
    }
    template = "graph/explorer.html"
    if wants_fragment(request):
        template += "#graph-explorer"
    return render(request, template, context)


@require_GET
def about_trust(request: HttpRequest) -> HttpResponse:
    return render(request, "about/trust.html", {"bands": BANDS})
