"""A job's lease: which process runs it, until when the claim holds unless renewed, and its time limit."""

from django.db import models


class JobLease(models.Model):
    """One row per job a worker is running; deleted when the job ends, reaped by the sweep when its worker died.

    `owner` names the process (see jobs.processes); `expires_at` moves forward while that process renews it;
    `deadline` is when the job's time limit runs out. `job_name` and `args` let the sweep call the job's
    `on_lease_lost` handler without the queue.
    """

    job_id = models.CharField(max_length=64, primary_key=True)
    job_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32)
    project_id = models.BigIntegerField(null=True, blank=True)
    args = models.JSONField(default=list)
    owner = models.CharField(max_length=200)
    acquired_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["expires_at"], name="joblease_expires"),
            models.Index(fields=["kind", "project_id"], name="joblease_kind_project"),
        ]

    def __str__(self) -> str:
        return f"{self.job_name} {self.job_id} on {self.owner}"
