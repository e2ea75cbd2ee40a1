import re
from io import StringIO

from django.core.management import call_command

from conversations.models import Conversation

OUTPUT = re.compile(
    r"conversation PDF: cold \d+\.\d{3}s; warm median \d+\.\d{3}s, worst \d+\.\d{3}s "
    r"over 1 runs \(budget 0\.5s\)\n"
)


def test_benchmark_renders_a_pdf_and_leaves_nothing_behind(organisation):
    output = StringIO()

    call_command("benchmark_pdf", runs=1, stdout=output)

    assert OUTPUT.fullmatch(output.getvalue())
    assert not Conversation.objects.exists()
