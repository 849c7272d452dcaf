"""Errors the processing pipeline raises to its callers (the API and the job layer)."""


class UnsupportedRecording(ValueError):
    """The upload is not a recording or transcript we can process; str(e) is safe to show the client."""

    stage: str = "processing"  # set by the pipeline: which stage refused it


class ProviderError(Exception):
    """A transcription or summary provider call failed; `retryable` says whether trying again may help."""

    stage: str = "processing"  # set by the pipeline: which provider failed

    def __init__(self, message: str, *, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        # Seconds the provider asked us to wait (a Retry-After header), for the job layer's backoff.
        self.retry_after = retry_after
