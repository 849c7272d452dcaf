"""Accounts, organizations, projects and personal API keys."""

import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone

from users import keys


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an email address; shown to clients as PostHog's `UserBasic` object."""

    class Role(models.TextChoices):
        ENGINEERING = "engineering"
        DATA = "data"
        PRODUCT = "product"
        FOUNDER = "founder"
        LEADERSHIP = "leadership"
        MARKETING = "marketing"
        SALES = "sales"
        OTHER = "other"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    distinct_id = models.CharField(max_length=200, unique=True, default=keys.new_distinct_id)
    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    is_email_verified = models.BooleanField(null=True, blank=True, default=False)
    hedgehog_config = models.JSONField(null=True, blank=True)
    role_at_organization = models.CharField(max_length=64, choices=Role.choices, blank=True, default="")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    current_project = models.ForeignKey(
        "users.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    def __str__(self) -> str:
        return self.email


class Organization(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(User, through="Membership", related_name="organizations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's place in an organization; PostHog's levels (member 1, admin 8, owner 15)."""

    class Level(models.IntegerChoices):
        MEMBER = 1
        ADMIN = 8
        OWNER = 15

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.organization_id} ({self.get_level_display()})"


class Project(models.Model):
    """What PostHog calls a project and its environment (team): the integer id in every project URL."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="projects")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, default="Default project")
    api_token = models.CharField(max_length=200, unique=True, default=keys.new_project_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.pk})"


class PersonalAPIKey(models.Model):
    """A bearer key; only its SHA-256 digest is stored, so lookup is one indexed equality query."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="personal_api_keys")
    label = models.CharField(max_length=40)
    secure_value = models.CharField(max_length=300, unique=True, editable=False)
    mask_value = models.CharField(max_length=11, editable=False)
    scopes = models.JSONField(default=list)
    scoped_teams = models.JSONField(null=True, blank=True)
    scoped_organizations = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_rolled_at = models.DateTimeField(null=True, blank=True)

    # The plain value exists only in memory, right after creation, so the creating response can show it once.
    plain_value: str | None = None

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "personal API key"

    def __str__(self) -> str:
        return f"{self.label} ({self.mask_value})"

    def set_value(self, value: str) -> None:
        self.secure_value = keys.hash_key_value(value)
        self.mask_value = keys.mask_key_value(value)
