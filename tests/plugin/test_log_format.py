"""LOG_FORMAT=json: one JSON object per line, the job's ids where present, credentials masked."""
import io
import json
import logging

from plugin.logs import JsonFormatter, RedactingFilter, log_context


def _lines(emit) -> list[dict]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("test.json")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        emit(logger)
    finally:
        logger.removeHandler(handler)
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_one_object_per_line_with_the_ids_of_the_job():
    def emit(logger):
        logger.info("plain")
        with log_context(sync=7, side=1, issue="10042"):
            logger.warning("synced %s", "ACME-1")
        logger.info("given", extra={"sync": 9})

    plain, synced, given = _lines(emit)
    assert plain["message"] == "plain" and "sync" not in plain and plain["level"] == "INFO"
    assert (synced["sync"], synced["side"], synced["issue"], synced["message"]) == (7, 1, "10042", "synced ACME-1")
    assert given["sync"] == 9 and "side" not in given


def test_secrets_are_masked_in_messages_and_exceptions():
    def emit(logger):
        try:
            raise RuntimeError("GET https://x/?jwt=eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl failed")
        except RuntimeError:
            logger.exception("calling postgresql://user:hunter2@db/ws")

    (line,) = _lines(emit)
    assert "hunter2" not in json.dumps(line) and "c2lnbmF0dXJl" not in json.dumps(line)
    assert "RuntimeError" in line["exception"]
