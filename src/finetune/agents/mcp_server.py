"""The MCP server: Finetune's API as tools and resources for AI agents.

Every API call goes through the async SDK (:class:`finetune.client.AsyncFinetune`) with the
operator's key, so every rule of the API holds (modes, credits, rate limits, idempotency) and
errors reach the agent as the API's own ``name`` and message. ``score_resume`` has no endpoint:
it runs the deterministic scorer that ``finetune score`` runs, on a resume fetched through the
SDK or given as JSON.

Reading files by path (``set_base_resume(path=…)``) is for the stdio transport, where the agent
runs on the user's own machine; over HTTP it is off unless the operator turns it on, so a remote
agent cannot read the server's disk.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp_types import ToolAnnotations
from pydantic import BaseModel, Field

from finetune import __version__
from finetune.client import AsyncFinetune, FinetuneClientError, Keywords, ScoreBreakdown
from finetune.client.models import (
    BaseResumeImported,
    FinetuneLevel,
    GeneratedResume,
    Page,
    Resume,
    ResumeListItem,
    Usage,
)

INSTRUCTIONS = """\
Finetune tailors the user's base resume to a job description without inventing facts, scores it
with a deterministic ATS scorer and renders an ATS-friendly PDF. Typical flow: get_usage (see the
credits), set_base_resume once if none is stored, score_resume to see how the base resume fits a
job, generate_resume to tailor it (returns the score before and after, matched and missing
keywords, every change and a pdf_url when include_pdf is true), then list_resumes/get_resume.
Keywords under 'missing' are not in the resume: never claim them for the user."""

ResumeId = Annotated[str, Field(description="A resume id, res_…", min_length=1)]


class ScoreReport(BaseModel):
    """What score_resume answers."""

    ats_score: int = Field(description="0-100, the same scorer as the API's ats_score.")
    keywords: Keywords
    breakdown: ScoreBreakdown = Field(description="Why: components and each job term's evidence.")
    scored: str = Field(description="Which resume was scored.")
    position: str = Field(description="The job title the score used.")


@contextmanager
def _as_tool_error() -> Iterator[None]:
    """API and input errors become the tool's error text, for the agent to read."""
    from finetune.errors import FinetuneError

    try:
        yield
    except FinetuneClientError as error:
        raise ToolError(str(error)) from error
    except FinetuneError as error:  # the scorer's input checks
        raise ToolError(error.message) from error


class FinetuneTools:
    """The tools and resources, bound to one SDK client."""

    def __init__(self, client: AsyncFinetune, *, local_files: bool) -> None:
        self._client = client
        self._local_files = local_files

    async def generate_resume(
        self,
        job_description: Annotated[str, Field(description="The job ad, 50-50,000 characters.")],
        company_name: Annotated[str, Field(description="The company hiring.")],
        position: Annotated[str, Field(description="The job title.")],
        finetune_level: Annotated[
            FinetuneLevel,
            Field(description="basic (1 credit), good (2) or super (3, deepest rewrite)."),
        ] = "good",
        include_pdf: Annotated[bool, Field(description="Render the PDF now.")] = False,
    ) -> GeneratedResume:
        """Tailor the stored base resume to a job. Live keys spend credits; test keys do not."""
        with _as_tool_error():
            return await self._client.resumes.generate(
                job_description=job_description,
                company_name=company_name,
                position=position,
                finetune_level=finetune_level,
                include_pdf=include_pdf,
            )

    async def list_resumes(
        self,
        limit: Annotated[int, Field(ge=1, le=100, description="Resumes per page.")] = 20,
        after: Annotated[
            str | None, Field(description="For the next (older) page: the last id you got.")
        ] = None,
    ) -> Page[ResumeListItem]:
        """Tailored resumes, newest first, without their full data (use get_resume)."""
        with _as_tool_error():
            return await self._client.resumes.list(limit=limit, after=after)

    async def get_resume(self, resume_id: ResumeId) -> Resume:
        """One tailored resume: its data, score before and after, keywords and changes."""
        with _as_tool_error():
            return await self._client.resumes.get(resume_id)

    async def get_usage(self) -> Usage:
        """Credits left, plan, rate limit and the end of the billing cycle."""
        with _as_tool_error():
            return await self._client.usage.get()

    async def set_base_resume(
        self,
        resume: Annotated[
            dict[str, Any] | None,
            Field(description="A JSON Resume document or Finetune resume_data."),
        ] = None,
        text: Annotated[
            str | None, Field(description="The resume as plain text or Markdown.")
        ] = None,
        path: Annotated[
            str | None,
            Field(description="A PDF, DOCX, Markdown, text or JSON file on this machine."),
        ] = None,
    ) -> BaseResumeImported:
        """Replace the base resume every tailoring starts from. Give exactly one of resume,
        text or path. The answer lists lines that could not be placed ('unplaced')."""
        given = [value for value in (resume, text, path) if value is not None]
        if len(given) != 1:
            raise ToolError("give exactly one of resume, text or path")
        with _as_tool_error():
            if resume is not None:
                return await self._client.base_resume.put(resume)
            if text is not None:
                return await self._client.base_resume.upload(text.encode(), "resume.md")
            return await self._client.base_resume.upload(self._local_file(path or ""))

    def _local_file(self, path: str) -> Path:
        if not self._local_files:
            raise ToolError(
                "this server does not read local files (HTTP transport): send the resume as "
                "resume (JSON) or text instead"
            )
        file = Path(path).expanduser()
        if not file.is_file():
            raise ToolError(f"no such file: {file}")
        return file

    async def score_resume(
        self,
        job_description: Annotated[str, Field(description="The job ad (plain text).")],
        resume_id: Annotated[
            str | None, Field(description="Score this tailored resume (res_…).")
        ] = None,
        resume: Annotated[
            dict[str, Any] | None,
            Field(description="Score this JSON Resume or resume_data document."),
        ] = None,
        position: Annotated[
            str | None, Field(description="The job title (default: detected in the ad).")
        ] = None,
    ) -> ScoreReport:
        """ATS score (0-100) of a resume against a job, with matched and missing keywords.
        Scores the stored base resume unless resume_id or resume is given. Free: no credits."""
        if resume_id and resume is not None:
            raise ToolError("give resume_id or resume, not both")
        with _as_tool_error():
            if resume is not None:
                document, scored = resume, "the given resume"
            elif resume_id:
                tailored = await self._client.resumes.get(resume_id)
                document, scored = tailored.resume_data, tailored.id
                position = position or tailored.position
            else:
                document = (await self._client.base_resume.get()).resume_data
                scored = "the base resume"
            return await anyio.to_thread.run_sync(
                _score, document, job_description, position, scored
            )

    async def resume_list_resource(self) -> str:
        """The 100 newest tailored resumes (JSON list)."""
        with _as_resource_error():
            page = await self._client.resumes.list(limit=100)
        return page.model_dump_json(indent=2)

    async def resume_resource(self, resume_id: str) -> str:
        """One tailored resume with its full data (JSON)."""
        with _as_resource_error():
            resume = await self._client.resumes.get(resume_id)
        return resume.model_dump_json(indent=2)

    async def base_resume_resource(self) -> str:
        """The stored base resume (JSON)."""
        with _as_resource_error():
            stored = await self._client.base_resume.get()
        return stored.model_dump_json(indent=2)


@contextmanager
def _as_resource_error() -> Iterator[None]:
    try:
        yield
    except FinetuneClientError as error:
        raise ResourceError(str(error)) from error


def _score(
    document: dict[str, Any], job_description: str, position: str | None, scored: str
) -> ScoreReport:
    """What ``finetune score`` computes: the pure scorer, no server involved."""
    from finetune.documents.loading import load_resume_document
    from finetune.errors import ValidationError
    from finetune.tailoring.jd import analyze_job, job_text_from_document
    from finetune.tailoring.scoring import score_resume

    text = job_text_from_document(job_description)
    if not text.strip():
        raise ValidationError("job_description is empty")
    job = analyze_job(text, position=position)
    result = score_resume(load_resume_document(document), job)
    return ScoreReport(
        ats_score=result.ats_score,
        keywords=Keywords.model_validate(result.keywords.model_dump()),
        breakdown=ScoreBreakdown.model_validate(result.breakdown().model_dump()),
        scored=scored,
        position=job.title,
    )


READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)


def build_server(client: AsyncFinetune, *, local_files: bool) -> MCPServer:
    """The MCP server over ``client``; ``local_files`` lets set_base_resume read paths."""
    tools = FinetuneTools(client, local_files=local_files)
    server: MCPServer = MCPServer(
        "finetune", instructions=INSTRUCTIONS, version=__version__, log_level="WARNING"
    )
    server.add_tool(
        tools.generate_resume,
        annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False),
    )
    server.add_tool(tools.list_resumes, annotations=READ_ONLY)
    server.add_tool(tools.get_resume, annotations=READ_ONLY)
    server.add_tool(tools.get_usage, annotations=READ_ONLY)
    server.add_tool(
        tools.set_base_resume,
        annotations=ToolAnnotations(destructive_hint=True, idempotent_hint=True),
    )
    server.add_tool(tools.score_resume, annotations=READ_ONLY)
    resources: dict[str, tuple[str, Callable[..., Awaitable[str]]]] = {
        "finetune://resumes": ("resumes", tools.resume_list_resource),
        "finetune://resumes/{resume_id}": ("resume", tools.resume_resource),
        "finetune://base-resume": ("base_resume", tools.base_resume_resource),
    }
    for uri, (name, read) in resources.items():
        server.resource(uri, name=name, mime_type="application/json")(read)
    return server


async def run(
    transport: Literal["stdio", "http"],
    *,
    api_key: str | None,
    base_url: str | None,
    local_files: bool,
    host: str = "127.0.0.1",
    port: int = 8765,
    path: str = "/mcp",
) -> None:
    """Serve until stopped: over stdin/stdout, or streamable HTTP at ``http://host:port/path``."""
    async with AsyncFinetune(api_key, base_url) as client:
        server = build_server(client, local_files=local_files)
        if transport == "stdio":
            await server.run_stdio_async()
        else:
            await server.run_streamable_http_async(host=host, port=port, streamable_http_path=path)
