from django.http import HttpRequest, HttpResponse


def work_detail(request: HttpRequest, openalex_id: str) -> HttpResponse:
    return HttpResponse("work")


def topic_detail(request: HttpRequest, openalex_id: str) -> HttpResponse:
    return HttpResponse("topic")


def institution_detail(request: HttpRequest, openalex_id: str) -> HttpResponse:
    return HttpResponse("institution")
