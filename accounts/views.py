from django.shortcuts import render


def account(request):
    return render(request, "accounts/account.html")


def equality_profile(request):
    return render(request, "accounts/equality_profile.html", {})
