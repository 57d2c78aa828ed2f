"""{% fixed %}: the frame's parts rendered once per language, and nothing that differs
between requests ever frozen into them (core/templatetags/frame.py)."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from core.templatetags import frame


def render(source, **context):
    return Template("{% load i18n static frame %}" + source).render(Context(context))


@pytest.fixture(autouse=True)
def _fresh():
    frame.forget()
    yield
    frame.forget()


@pytest.mark.parametrize(
    "inside",
    [
        "{{ user.username }}",
        "{{ request.path }}",
        "{% csrf_token %}",
        "{% if user.is_authenticated %}x{% endif %}",
        "{% url 'evaluation:verify' number %}",
        "{% translate greeting %}",
        "{% for x in items %}{{ x }}{% endfor %}",
        "{% include 'includes/todo_link.html' %}",
        "{{ agency.name|default:user.username }}",
        "{% translate 'Menu' as menu %}",
    ],
)
def test_it_refuses_anything_that_may_differ_between_requests(inside):
    with pytest.raises(TemplateSyntaxError):
        Template('{% load i18n static frame %}{% fixed "part" %}' + inside + "{% endfixed %}")


def test_it_renders_once_per_language_and_follows_the_language():
    compiled = Template(
        '{% load i18n frame %}{% fixed "menu" %}<a href="{% url \'catalogue:catalogue\' %}">'
        '{% translate "Statistics" %}</a>{% endfixed %}'
    )
    with translation.override("vi"):
        vietnamese = compiled.render(Context())
    with translation.override("en"):
        english = compiled.render(Context())
    assert english == '<a href="/en/">Statistics</a>'
    assert vietnamese.startswith('<a href="/">') and "Statistics" not in vietnamese
    [part] = compiled.nodelist.get_nodes_by_type(frame.FixedNode)
    assert set(part.texts) == {"vi", "en"}


def test_a_kept_part_is_not_rendered_again():
    compiled = Template('{% load frame %}{% fixed "footer" %}{{ agency.name }}{% endfixed %}')
    with translation.override("vi"):
        assert compiled.render(Context({"agency": {"name": "A"}})) == "A"
        # The same part in the same language: the text kept, whatever the context holds.
        assert compiled.render(Context({"agency": {"name": "B"}})) == "A"


@override_settings(AGENCY_NAME="Sở Nông nghiệp thử")
def test_a_changed_setting_drops_the_kept_parts(client):
    # The footer's agency comes from the settings: override_settings sends setting_changed.
    assert "Sở Nông nghiệp thử" in client.get(reverse("evaluation:help")).content.decode()
    with override_settings(AGENCY_NAME="Văn phòng khác"):
        assert "Văn phòng khác" in client.get(reverse("evaluation:help")).content.decode()


@pytest.mark.django_db
def test_a_signed_in_page_keeps_its_own_menu_beside_the_fixed_parts(client, django_user_model):
    user = django_user_model.objects.create_user("hoa", password="x", first_name="Hoa")
    anonymous = client.get(reverse("evaluation:help")).content.decode()
    client.force_login(user)
    signed_in = client.get(reverse("evaluation:help")).content.decode()
    assert 'id="user-menu"' in signed_in and 'id="user-menu"' not in anonymous
    assert "csrfmiddlewaretoken" in signed_in  # the sign-out form's token, never kept
    # The fixed footer is the same text on both.
    footer = anonymous[anonymous.index("<footer") :]
    assert footer == signed_in[signed_in.index("<footer") :]


def test_a_recompiled_template_is_rendered_afresh():
    # The development server resets its template loaders when a template is edited: the
    # edited part is a new node, and must not show the old text.
    with translation.override("vi"):
        assert render('{% fixed "footer" %}cũ{% endfixed %}') == "cũ"
        assert render('{% fixed "footer" %}mới{% endfixed %}') == "mới"
