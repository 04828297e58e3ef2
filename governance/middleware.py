"""Request middleware that belongs to no single app."""

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
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


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's login-required default for pages; the API answers for itself.

    An API client without a session must get a 403 JSON error from DRF, not a redirect to
    the HTML login page.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
