"""Python client of the Finetune API, synchronous and asynchronous.

```python
from finetune.client import Finetune

with Finetune() as client:  # FINETUNE_API_KEY, FINETUNE_BASE_URL
    resume = client.resumes.generate(
        job_description=open("job.txt").read(), company_name="Acme", position="Engineer"
    )
    client.resumes.download_pdf(resume.id, "resume.pdf")
    for item in client.resumes.list_all():
        print(item.id, item.ats_score)
```

See ``docs/clients.md``. This package imports only httpx and pydantic from outside.
"""

from finetune.client.async_client import AsyncFinetune
from finetune.client.errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    CreditLimitExceeded,
    FinetuneClientError,
    IdempotencyError,
    IdempotencyKeyInUse,
    InternalServerError,
    InvalidApiKey,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    RateLimitExceeded,
    ServiceUnavailable,
    UnexpectedResponse,
    ValidationError,
)
from finetune.client.models import (
    ApiKey,
    BaseResume,
    BaseResumeImported,
    Change,
    GeneratedResume,
    Keywords,
    Page,
    RateLimit,
    Resume,
    ResumeDeleted,
    ResumeListItem,
    ResumePdf,
    ScoreBreakdown,
    ScoreComponent,
    TailorWarning,
    TermEvidence,
    TokenUsage,
    Usage,
)
from finetune.client.retry import RetryEvent, RetryPolicy
from finetune.client.sync_client import Finetune

__all__ = [
    "APIConnectionError",
    "APIError",
    "ApiKey",
    "AsyncFinetune",
    "AuthenticationError",
    "BaseResume",
    "BaseResumeImported",
    "Change",
    "CreditLimitExceeded",
    "Finetune",
    "FinetuneClientError",
    "GeneratedResume",
    "IdempotencyError",
    "IdempotencyKeyInUse",
    "InternalServerError",
    "InvalidApiKey",
    "Keywords",
    "MethodNotAllowed",
    "NotFound",
    "Page",
    "PayloadTooLarge",
    "PermissionDenied",
    "RateLimit",
    "RateLimitExceeded",
    "Resume",
    "ResumeDeleted",
    "ResumeListItem",
    "ResumePdf",
    "RetryEvent",
    "RetryPolicy",
    "ScoreBreakdown",
    "ScoreComponent",
    "ServiceUnavailable",
    "TailorWarning",
    "TermEvidence",
    "TokenUsage",
    "UnexpectedResponse",
    "Usage",
    "ValidationError",
]
