"""The page frame's fixed parts, rendered once per process and language.

Every page draws the same menu, sign-in button, footer, stylesheets and scripts: a dozen
`{% url %}`s, `{% static %}`s and `{% translate %}`s that give the same text for every
request in a language until the next deploy. Rendered each time they cost about half of
a page that shows little else (a certificate check, a product page whose body is kept),
so `{% fixed "name" %}…{% endfixed %}` renders its content the first time a process
needs it in a language and reuses the text afterwards.

Only text that cannot differ between two requests in the same language may go inside:
the tag refuses, when the template is compiled, any variable but those in FIXED_NAMES
(settings-derived, the same for every request) and any tag but those in FIXED_TAGS. So a
user's name, a CSRF token or a count can never be frozen into another visitor's page.
Each part keeps one text per language: bounded by the templates themselves.
"""

from weakref import WeakSet

from django import template
from django.dispatch import receiver
from django.template.base import TextNode, VariableNode
from django.template.defaulttags import CommentNode, IfNode, URLNode
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode
from django.test.signals import setting_changed
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

# Context names whose value depends only on the language and the settings.
FIXED_NAMES = frozenset({"agency", "LANGUAGE_CODE"})
FIXED_NODES = (TextNode, VariableNode, TranslateNode, StaticNode, URLNode, CommentNode, IfNode)

# Every part compiled in this process, to forget their texts when a setting changes.
_parts: WeakSet = WeakSet()


def _roots(node) -> list[str]:
    """The context names a node reads (its variables' first segment)."""
    expressions = []
    if isinstance(node, (VariableNode, TranslateNode)):
        expressions.append(node.filter_expression)
    elif isinstance(node, StaticNode):
        expressions.append(node.path)
    elif isinstance(node, URLNode):
        expressions += [node.view_name, *node.args, *node.kwargs.values()]
    elif isinstance(node, IfNode):
        expressions += [
            e for condition, _ in node.conditions_nodelists for e in _operands(condition)
        ]
    names = []
    for expression in expressions:
        var = expression.var
        if hasattr(var, "lookups") and var.lookups:  # a Variable, not a literal
            names.append(var.lookups[0])
        for _filter, arguments in expression.filters:
            for _is_var, argument in arguments:
                if getattr(argument, "lookups", None):
                    names.append(argument.lookups[0])
    return names


def _operands(condition) -> list:
    """The filter expressions an {% if %} condition reads (a literal or an operator)."""
    if condition is None:  # {% else %}
        return []
    if hasattr(condition, "value") and hasattr(condition.value, "filters"):
        return [condition.value]
    return _operands(getattr(condition, "first", None)) + _operands(
        getattr(condition, "second", None)
    )


class FixedNode(template.Node):
    # Nothing inside is a block or anything a template looks for (the tag refuses it):
    # {% extends %} walks the whole frame for blocks on every render, not in here.
    child_nodelists = ()

    def __init__(self, name: str, nodelist):
        self.name = name
        self.nodelist = nodelist
        # Kept on the node, one text a language: the node lives as long as its compiled
        # template, so a template edited under the development server (whose loaders are
        # reset, not the process) is compiled into a new node and rendered afresh.
        self.texts: dict[str | None, str] = {}
        _parts.add(self)

    def render(self, context):
        language = get_language()
        text = self.texts.get(language)
        if text is None:
            text = self.texts[language] = self.nodelist.render(context)
        return mark_safe(text)


@register.tag
def fixed(parser, token):
    """{% fixed "part-name" %}…{% endfixed %}: see the module's docstring."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("{% fixed %} takes one quoted name")
    name = bits[1][1:-1]
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    for node in nodelist.get_nodes_by_type(template.Node):
        if not isinstance(node, FIXED_NODES):
            raise template.TemplateSyntaxError(
                f"{{% fixed {name!r} %}} cannot hold {type(node).__name__}: only text, "
                "translations, URLs, static files and settings-derived variables"
            )
        if isinstance(node, TranslateNode) and node.asvar:
            raise template.TemplateSyntaxError(f"{{% fixed {name!r} %}}: no `as` inside")
        if isinstance(node, URLNode) and node.asvar:
            raise template.TemplateSyntaxError(f"{{% fixed {name!r} %}}: no `as` inside")
        unfixed = set(_roots(node)) - FIXED_NAMES
        if unfixed:
            raise template.TemplateSyntaxError(
                f"{{% fixed {name!r} %}} reads {', '.join(sorted(unfixed))}, which may "
                "differ between requests"
            )
    return FixedNode(name, nodelist)


@receiver(setting_changed)
def forget(**kwargs) -> None:
    """Drop every rendered part: a setting a part shows may have changed (tests)."""
    for part in list(_parts):
        part.texts.clear()
