# ruff: noqa: DJ001, DJ008 (unmanaged mirrors of existing columns, never shown in an admin)
"""Unmanaged models over the real server's tables: only the columns the baseline reads."""

from django.db import models


class User(models.Model):
    uuid = models.UUIDField()
    distinct_id = models.CharField(max_length=200)
    email = models.EmailField()
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    is_email_verified = models.BooleanField(null=True)
    hedgehog_config = models.JSONField(null=True)
    role_at_organization = models.CharField(max_length=64)
    is_active = models.BooleanField()

    is_authenticated = True

    class Meta:
        managed = False
        db_table = "users_user"


class Membership(models.Model):
    organization_id = models.UUIDField()
    user = models.ForeignKey(User, models.DO_NOTHING)

    class Meta:
        managed = False
        db_table = "users_membership"


class Project(models.Model):
    organization_id = models.UUIDField()

    class Meta:
        managed = False
        db_table = "users_project"


class PersonalAPIKey(models.Model):
    id = models.UUIDField(primary_key=True)
    user = models.ForeignKey(User, models.DO_NOTHING)
    secure_value = models.CharField(max_length=300)

    class Meta:
        managed = False
        db_table = "users_personalapikey"


class UserInterview(models.Model):
    id = models.UUIDField(primary_key=True)
    project = models.ForeignKey(Project, models.DO_NOTHING)
    created_by = models.ForeignKey(User, models.DO_NOTHING, null=True)
    created_at = models.DateTimeField()
    interviewee_emails = models.JSONField()
    transcript = models.TextField()
    summary = models.TextField()
    recording = models.CharField(max_length=300)
    status = models.CharField(max_length=16)
    processing_error = models.TextField()

    class Meta:
        managed = False
        db_table = "interviews_api_userinterview"


class SavedQuery(models.Model):
    id = models.UUIDField(primary_key=True)
    project = models.ForeignKey(Project, models.DO_NOTHING)
    created_by = models.ForeignKey(User, models.DO_NOTHING, null=True)
    created_at = models.DateTimeField()
    deleted = models.BooleanField()
    name = models.CharField(max_length=128)
    query = models.JSONField()
    columns = models.JSONField()
    status = models.CharField(max_length=64, null=True)
    last_run_at = models.DateTimeField(null=True)
    latest_error = models.TextField(null=True)
    sync_frequency_interval = models.DurationField(null=True)
    is_materialized = models.BooleanField()

    class Meta:
        managed = False
        db_table = "warehouse_savedquery"


class ActivityLog(models.Model):
    id = models.UUIDField(primary_key=True)
    scope = models.CharField(max_length=79)
    item_id = models.UUIDField()
    created_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "warehouse_activitylog"
