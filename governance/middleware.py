"""Request middleware that belongs to no single app."""

from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Activate the language the user chose, else the site's default (zh-hans).

    Django's LocaleMiddleware would follow the browser's Accept-Language header, so an
    English-language browser would get an English interface; a street office expects
    Chinese unless someone picks otherwise with the language switch (stored in a cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
