"""Staff pages."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from governance.accounts.models import User
from governance.web import paginate, scoped_list


@require_GET
def staff_list(request):
    users = scoped_list(request.user, User.objects.select_related("unit")).order_by("username")
    return render(request, "accounts/staff_list.html", {"page": paginate(request, users)})
