from django.http import HttpRequest, HttpResponse, HttpResponseNotFound


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("home")


def researcher_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("list")


def researcher_detail(request: HttpRequest, author_id: str) -> HttpResponse:
    return HttpResponse("detail")


def researcher_works_more(request: HttpRequest, author_id: str) -> HttpResponse:
    return HttpResponse("more")


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponseNotFound("not found")
