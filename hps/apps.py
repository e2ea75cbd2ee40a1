from django.apps import AppConfig


class HpsConfig(AppConfig):
    name = "hps"
    verbose_name = "High Potential Scheme"
