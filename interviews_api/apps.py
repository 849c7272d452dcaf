from django.apps import AppConfig


class InterviewsApiConfig(AppConfig):
    name = "interviews_api"
    verbose_name = "User interviews"
