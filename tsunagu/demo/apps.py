from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tsunagu.demo"
    label = "demo"
