from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("programs/<int:program_pk>/", views.program_surveys, name="program-surveys"),
    path("programs/<int:program_pk>/new/", views.survey_create, name="survey-create"),
    path("<int:pk>/", views.survey_detail, name="survey-detail"),
    path("<int:pk>/questions/", views.question_add, name="question-add"),
    path("<int:pk>/questions/<int:question_pk>/", views.question_edit, name="question-edit"),
    path("<int:pk>/questions/<int:question_pk>/move/", views.question_move,
         name="question-move"),
    path("<int:pk>/send/", views.survey_send, name="survey-send"),
    path("<int:pk>/close/", views.survey_close, name="survey-close"),
    path("<int:pk>/results/", views.survey_results, name="survey-results"),
    path("<int:pk>/results/export/", views.survey_export, name="survey-export"),
    path("<int:pk>/responses/", views.survey_respondents, name="survey-respondents"),
    path("<int:pk>/responses/<uuid:response_pk>/", views.response_detail,
         name="response-detail"),
    path("answer/<str:token>/", views.answer, name="answer"),
]
