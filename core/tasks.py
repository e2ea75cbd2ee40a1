from celery import shared_task


@shared_task
def ping(value: str) -> str:
    """Answer with the value it was given: proves a worker and the broker are working."""
    return f"pong: {value}"
