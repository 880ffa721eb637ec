"""The interaction sweep's machinery (AppTest): open a page, list every interaction its widgets offer, replay
them, and say what went wrong.

An interaction is a :class:`Step`: click a button, choose an option of a selectbox, radio, segmented control,
multiselect or tab bar (bounded: the first, the last and two between), set the first and last allowed date of
a date input, flip a checkbox or toggle, type into a text input, set a number input to its limits, or fetch a
download button's deferred file. Widgets are found again by key, or by their index among the widgets of their
type when they have none. Options are sent as the browser sends them — their shown label — so a step never
depends on the raw values behind a ``format_func``.
"""

from __future__ import annotations

import functools
import re
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.components.v2.component_manager import BidiComponentManager
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Widget

from heg_dash import i18n
from heg_dash.views.chart_view import TABLE_KEY_PREFIX

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TEXT_PROBE = "Æø Å (x)% _*[1]"  # Danish letters and characters that mean something to regexes and SQL LIKE


@functools.cache
def _components() -> BidiComponentManager:
    """Streamlit's registry of custom components, scanned once: each new AppTest would scan every installed
    package's metadata again (half a second a session, more than a warm page's run)."""
    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    return manager


def open_page(page: str, lang: str, params: dict[str, str] | None = None,
              session: dict[str, object] | None = None) -> AppTest:
    """A fresh session on ``page``: one run of app.py routed straight to the page (the page's file name is
    its url_path, so the switch before the first run finds it). ``session``: session state to start with."""
    at = AppTest.from_file(APP, default_timeout=120)
    at._bidi_component_manager = _components()
    at.query_params["lang"] = lang
    for key, value in (params or {}).items():
        at.query_params[key] = value
    for key, value in (session or {}).items():
        at.session_state[key] = value
    if page != "overblik":
        at.switch_page(f"pages/{page}.py")
    with i18n.language(lang):
        at.run()
    return at


# ------------------------------------------------------------------------------------------------- steps

@dataclass(frozen=True)
class Step:
    """One interaction: what to touch (``kind`` of widget, its key or its index among its kind) and how."""

    kind: str
    key: str | None
    index: int
    action: str
    value: object = None
    label: str = ""
    then: Step | None = field(default=None, compare=False)  # a second step after the first one's run

    def describe(self) -> str:
        where = self.key or f"{self.kind}[{self.index}]"
        text = f"{self.action} {where}" + (f" = {self.value!r}" if self.value is not None else "")
        if self.label:
            text += f" ({self.label})"
        return text + (f" → {self.then.describe()}" if self.then else "")


def bounded(n: int) -> list[int]:
    """The first, the last and two between of ``n`` options."""
    if n <= 0:
        return []
    return sorted({0, n - 1, round((n - 1) / 3), round(2 * (n - 1) / 3)})


def _widgets(at: AppTest, kind: str) -> list:
    return list(at.get(kind))


def _key(widget) -> str | None:
    return getattr(widget, "key", None) or None


def steps_of(at: AppTest) -> list[Step]:
    """Every interaction the page's widgets offer in this run (bounded as the module docstring says).

    Call it in the page's language (``i18n.language``): the widgets' format functions tell the current value."""
    steps: list[Step] = []
    for kind in ("button", "download_button"):
        for i, w in enumerate(_widgets(at, kind)):
            steps.append(Step(kind, _key(w), i, "click", label=w.label))
    for kind in ("selectbox", "radio"):
        for i, w in enumerate(_widgets(at, kind)):
            current = _current_label(w)
            for j in bounded(len(w.options)):
                if w.options[j] != current:
                    steps.append(Step(kind, _key(w), i, "choose", w.options[j], w.label))
    for i, w in enumerate(_widgets(at, "button_group")):
        current = _current_labels(w)
        for j in bounded(len(w.options)):
            if [w.options[j]] != current:
                steps.append(Step("button_group", _key(w), i, "choose", [w.options[j]], w.label))
        if current:
            steps.append(Step("button_group", _key(w), i, "choose", [], w.label))  # deselected
    for i, w in enumerate(_widgets(at, "multiselect")):
        for j in bounded(len(w.options)):
            steps.append(Step("multiselect", _key(w), i, "choose", [w.options[j]], w.label))
        if len(w.options) > 1:
            steps.append(Step("multiselect", _key(w), i, "choose", list(w.options), w.label))
        if _current_labels(w):
            steps.append(Step("multiselect", _key(w), i, "choose", [], w.label))
    for i, w in enumerate(_widgets(at, "date_input")):
        lo, hi = w.min, w.max
        values = [(lo, hi), (lo, lo), (hi, hi), (lo,)] if w.proto.is_range else [lo, hi]
        steps += [Step("date_input", _key(w), i, "set", v, w.label) for v in values]
    for kind in ("checkbox", "toggle"):
        for i, w in enumerate(_widgets(at, kind)):
            if not str(_key(w)).startswith(TABLE_KEY_PREFIX):  # charts' tables: all at once, test_chart_text
                steps.append(Step(kind, _key(w), i, "set", not w.value, w.label))
    for i, w in enumerate(_widgets(at, "text_input")):
        steps.append(Step("text_input", _key(w), i, "set", TEXT_PROBE, w.label))
    for i, w in enumerate(_widgets(at, "number_input")):
        limits = [w.proto.min if w.proto.has_min else -1e9, w.proto.max if w.proto.has_max else 1e9]
        cast = int if w.proto.data_type == w.proto.INT else float
        steps += [Step("number_input", _key(w), i, "set", cast(v), w.label) for v in limits]
    for key, labels in _tab_bars(at):
        for j in bounded(len(labels))[1:]:  # the first tab is open already
            steps.append(Step("tabs", key, 0, "open", labels[j]))
    return steps


def _tab_bars(at: AppTest) -> Iterator[tuple[str, list[str]]]:
    """Tab bars that keep their state (``st.tabs(..., key=...)``): their key and tab labels. Tabs without a
    key draw every tab's content in each run, so there is nothing to choose."""
    for node in at:
        if getattr(node, "type", None) == "tab_container" and getattr(node, "key", None):
            yield node.key, [child.label for child in node.children.values() if getattr(child, "type", "") == "tab"]


def _current_label(w) -> str | None:
    """The shown label of a selectbox's or radio's value (None, too, is an option with a label: "all")."""
    try:
        return str(w.format_func(w.value))
    except Exception:  # noqa: BLE001 - a label we cannot tell is simply swept again
        return None


def _current_labels(w) -> list[str]:
    try:
        return [w.options[i] for i in w.indices]
    except (ValueError, KeyError):
        return []


def find(at: AppTest, step: Step):
    """The step's widget in this run, by key or by index; None when this run does not show it."""
    widgets = _widgets(at, step.kind)
    if step.key is not None:
        return next((w for w in widgets if _key(w) == step.key), None)
    return widgets[step.index] if step.index < len(widgets) else None


def _stage_labels(widget: Widget, labels: list[str], single: bool) -> None:
    """Send ``labels`` as the widget's value, as the browser does (AppTest would run ``format_func`` on a raw
    value in the test's thread, where the page's closures and language are not at hand)."""
    base = type(widget)

    def state(self) -> WidgetState:
        ws = WidgetState()
        ws.id = self.id
        if single:
            ws.string_value = labels[0]
        else:
            ws.string_array_value.data[:] = labels
        return ws

    widget.__class__ = type("Staged" + base.__name__, (base,), {"_widget_state": property(state)})


@dataclass(frozen=True)
class Problem:
    step: str
    kind: str  # "exception", "traceback", "failed page" (the page guard's message), "download", "missing"
    message: str
    trace: str = ""

    def text(self) -> str:
        return f"{self.step}: {self.kind}: {self.message}"


class Deferred:
    """Records the callables of download buttons with deferred data (``data=callable``) by file id, so a step
    can fetch the file as the server does when the browser's click asks for it."""

    def __init__(self) -> None:
        self.callables: dict[str, Callable[[], object]] = {}

    @contextmanager
    def recording(self) -> Iterator[Deferred]:
        original = MediaFileManager.add_deferred

        def add_deferred(manager, data_callable, *args, **kwargs):
            file_id = original(manager, data_callable, *args, **kwargs)
            self.callables[file_id] = data_callable
            return file_id

        MediaFileManager.add_deferred = add_deferred
        try:
            yield self
        finally:
            MediaFileManager.add_deferred = original


def apply_step(at: AppTest, step: Step, lang: str, deferred: Deferred) -> list[Problem]:
    """Do ``step`` on ``at`` and run the page (a download is fetched without a run); what went wrong."""
    widget = find(at, step)
    if widget is None and step.kind != "tabs":
        return [Problem(step.describe(), "missing", "the widget is not shown in this run")]
    if step.kind == "download_button":
        file_id = widget.proto.deferred_file_id
        if not file_id:
            return []  # the data went with the page
        try:
            data = deferred.callables[file_id]()
        except Exception as exc:  # noqa: BLE001 - any failure is the finding
            return [Problem(step.describe(), "download", f"{type(exc).__name__}: {exc}", traceback.format_exc())]
        if not data:
            return [Problem(step.describe(), "download", "the file is empty")]
        return []
    if step.kind == "tabs":
        at.session_state[step.key] = step.value
    elif step.action == "click":
        widget.click()
    elif step.kind in ("selectbox", "radio"):
        _stage_labels(widget, [step.value], single=True)
    elif step.kind in ("button_group", "multiselect"):
        _stage_labels(widget, list(step.value), single=False)
    else:
        widget.set_value(step.value)
    with i18n.language(lang):
        at.run()
    return page_problems(at, step.describe())


def failed_page_message() -> re.Pattern:
    """The message of the page guard (views.ui.failure_guard) in either language, up to its reference. The tests
    set HEG_DASH_SHOW_ERRORS, so a failing page raises instead; this catches a run where the guard caught it."""
    texts = []
    for lang in i18n.LANGUAGES:
        with i18n.language(lang):
            texts.append(re.escape(i18n.t("app.failed", reference="\0").split("\0")[0]))
    return re.compile("|".join(texts))


def page_problems(at: AppTest, where: str) -> list[Problem]:
    """Exceptions the run showed, errors that show a traceback, and the page guard's message."""
    found = [Problem(where, "exception", e.message, "\n".join(e.stack_trace)) for e in at.exception]
    found += [Problem(where, "traceback", e.value) for e in at.error if "Traceback" in e.value]
    failed = failed_page_message()
    found += [Problem(where, "failed page", e.value) for e in at.error if failed.search(e.value)]
    return found


# -------------------------------------------------------------------------------------------- known bugs

@dataclass(frozen=True)
class KnownBug:
    """A bug being fixed elsewhere: the sweep reports it as an expected failure instead of failing."""

    reason: str
    message: str  # a regular expression the problem's message matches
    trace: str = ""  # … and its traceback

    def matches(self, problem: Problem) -> bool:
        return bool(re.search(self.message, problem.message) and re.search(self.trace, problem.trace))


# Bugs being fixed elsewhere, each as KnownBug(reason, message pattern, trace pattern); none at present (the
# two this sweep met first, SDG goals' 'Vis mål' and buildings without floors, were fixed on main, issue 17).
KNOWN_BUGS: tuple[KnownBug, ...] = ()


def known_bug(problem: Problem) -> KnownBug | None:
    return next((bug for bug in KNOWN_BUGS if bug.matches(problem)), None)


# --------------------------------------------------------------------------------------------- the sweep

@dataclass
class SweepResult:
    steps: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per step, to see where a slow sweep goes

    def unknown(self) -> list[Problem]:
        return [p for p in self.problems if known_bug(p) is None]

    def known(self) -> list[str]:
        return sorted({bug.reason for p in self.problems if (bug := known_bug(p)) is not None})


def _chains(step: Step) -> bool:
    """Whether ``step`` may follow the previous step on the same widget in the same session: a keyed widget set
    to one value after another leaves the page as that value alone would (bar the change from the last)."""
    return step.key is not None and step.action in ("choose", "set", "open") and step.then is None


def _offers(at: AppTest, step: Step) -> bool:
    """Whether this run still shows the step's widget with the step's options."""
    if step.kind == "tabs":
        return True
    widget = find(at, step)
    if widget is None:
        return False
    if step.kind in ("selectbox", "radio"):
        return step.value in widget.options
    if step.kind in ("button_group", "multiselect"):
        return set(step.value) <= set(widget.options)
    return True


def sweep(page: str, lang: str, *, params: dict[str, str] | None = None, session: dict[str, object] | None = None,
          skip: Callable[[Step], bool] = lambda step: False, fresh: Callable[[], None] | None = None) -> SweepResult:
    """Open ``page`` and replay every step its first run offers.

    A click starts from a fresh run of the page, and the buttons it brings up are clicked one level deep from
    there, as are the date inputs a choice brings up (each once, after the first choice that shows it); a
    keyed widget's values are set one after another in one fresh session (a failure names the values set
    before it, and the next step starts afresh). ``skip`` leaves steps out; ``fresh`` runs before each fresh
    session (e.g. a new copy of the database)."""
    result = SweepResult()
    deferred = Deferred()
    with deferred.recording():
        first = open_page(page, lang, params, session)
        result.problems += page_problems(first, "open")
        if result.problems:
            # a page that fails on opening offers none of its later widgets; its first failure is the finding
            return result
        with i18n.language(lang):  # the widgets' format functions speak the page's language
            queue = [s for s in steps_of(first) if not skip(s)]
        known_buttons = {(s.kind, s.key, s.index) for s in queue if s.action == "click"}
        known_widgets = {(s.kind, s.key) for s in queue if s.key is not None and s.action != "click"}
        at: AppTest | None = None  # the session a chain of steps continues
        before: list[Step] = []  # the steps that session has had
        while queue:
            step = queue.pop(0)
            started = time.perf_counter()
            if step.kind == "download_button" and step.then is None:  # fetched from the first run: no run
                result.steps += 1
                result.problems += apply_step(first, step, lang, deferred)
                result.seconds[step.describe()] = time.perf_counter() - started
                continue
            chained = (at is not None and before and _chains(step) and before[-1].key == step.key
                       and _offers(at, step))
            if not chained:
                if fresh is not None:
                    fresh()
                at, before = open_page(page, lang, params, session), []
            result.steps += 1
            problems = apply_step(at, step, lang, deferred)
            if not problems and step.then is not None:
                problems = apply_step(at, step.then, lang, deferred)
            if before:
                after = ", ".join(repr(b.value) for b in before)
                problems = [Problem(f"{p.step} (after {after} in the same session)", p.kind, p.message, p.trace)
                            for p in problems]
            result.seconds[step.describe()] = time.perf_counter() - started
            result.problems += problems
            if step.action == "click" and step.kind == "button" and step.then is None and not problems:
                with i18n.language(lang):
                    new_steps = steps_of(at)
                for new in new_steps:
                    if new.action == "click" and (new.kind, new.key, new.index) not in known_buttons and not skip(new):
                        queue.append(Step(step.kind, step.key, step.index, step.action, label=step.label, then=new))
            elif step.action == "choose" and step.then is None and not problems:
                # date inputs a choice brings up (Energi's dates under 'Pick dates'), swept once from there (other
                # kinds are left out: AppTest fails to replay a choice before some, e.g. Energi's on the empty db)
                with i18n.language(lang):
                    new_steps = [n for n in steps_of(at) if n.key is not None and n.kind == "date_input"
                                 and (n.kind, n.key) not in known_widgets and not skip(n)]
                known_widgets |= {(n.kind, n.key) for n in new_steps}
                queue += [Step(step.kind, step.key, step.index, step.action, step.value, step.label, then=n)
                          for n in new_steps]
            before.append(step)
            if problems or not _chains(step):
                at = None  # the next step starts from a fresh run
    return result
