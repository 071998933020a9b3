from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from bzpeer.htmx import HtmxHttpRequest, wants_fragment
from works.pagecache import corpus_page
from works.selectors import (
    author_page_for_institution,
    author_page_for_topic,
    institution_get,
    openalex_url,
    ror_url,
    topic_get,
    work_get_for_page,
    work_page_for_institution,
    work_page_for_topic,
)


def _two_lists(researchers: Page, works: Page) -> dict[str, object]:
    # Two paginated lists on one page: each pager keeps the other list's page.
    return {
        "researchers": researchers,
        "works": works,
        "researchers_keep": f"wpage={works.number}",
        "works_keep": f"rpage={researchers.number}",
    }


@require_GET
@vary_on_headers("HX-Request")
@corpus_page
def work_detail(request: HtmxHttpRequest, openalex_id: str) -> HttpResponse:
    # ?authors=all: every place of a long byline (through htmx, just the author-list region).
    all_authors = request.GET.get("authors") == "all"
    work = work_get_for_page(openalex_id=openalex_id, all_authors=all_authors)
    if work is None:
        raise Http404("No work with this id in our index.")
    context = {"work": work, "openalex_url": openalex_url(work.openalex_id)}
    template = "works/work_detail.html"
    return render(
        request, f"{template}#author-list" if wants_fragment(request) else template, context
    )


@require_GET
@corpus_page
def topic_detail(request: HttpRequest, openalex_id: str) -> HttpResponse:
    topic = topic_get(openalex_id=openalex_id)
    if topic is None:
        raise Http404("No topic with this id in our index.")
    researchers = author_page_for_topic(topic=topic, number=request.GET.get("rpage"))
    works = work_page_for_topic(topic=topic, number=request.GET.get("wpage"))
    context = {
        "topic": topic,
        "openalex_url": openalex_url(topic.openalex_id),
        **_two_lists(researchers, works),
    }
    return render(request, "works/topic_detail.html", context)


@require_GET
@corpus_page
def institution_detail(request: HttpRequest, openalex_id: str) -> HttpResponse:
    institution = institution_get(openalex_id=openalex_id)
    if institution is None:
        raise Http404("No institution with this id in our index.")
    researchers = author_page_for_institution(
        institution=institution, number=request.GET.get("rpage")
    )
    works = work_page_for_institution(institution=institution, number=request.GET.get("wpage"))
    context = {
        "institution": institution,
        "openalex_url": openalex_url(institution.openalex_id),
        "ror_url": ror_url(institution.ror),
        **_two_lists(researchers, works),
    }
    return render(request, "works/institution_detail.html", context)
