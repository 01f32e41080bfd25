"""Resources for tests. A factory-made resource has its first author and first version, as
one made through the service has."""

import factory
from django.urls import reverse

from resources.models import (
    Comment,
    Resource,
    ResourceAuthor,
    ResourceFeedback,
    ResourceVersion,
)
from resources.services import _snapshot


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        skip_postgeneration_save = True

    district = factory.SelfAttribute("created_by.district")
    created_by = None
    kind = Resource.Kind.LESSON_PLAN
    title = factory.Sequence(lambda n: f"Resource {n}")
    summary = "A plan to try with a class."
    body = "# Warm-up\n\nTen minutes of review."
    status = Resource.Status.PUBLISHED
    scope = Resource.Scope.DISTRICT
    search_document = factory.LazyAttribute(lambda r: f"{r.title}\n{r.summary}\n{r.body}")

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        """The creator is the first author; pass `authors=[...]` for more."""
        if not create:
            return
        people = [self.created_by, *(extracted or [])]
        for person in people:
            ResourceAuthor.objects.get_or_create(resource=self, user=person)
        ResourceVersion.objects.create(resource=self, number=1, edited_by=self.created_by,
                                       snapshot=_snapshot(self, [], [], []))
        Resource.objects.filter(pk=self.pk).refresh_search()


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    resource = factory.SubFactory(ResourceFactory)
    author = factory.SelfAttribute("resource.created_by")
    body = "Thank you, this helped."


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceFeedback

    resource = factory.SubFactory(ResourceFactory)
    author = factory.SelfAttribute("resource.created_by")
    used_with = "Grade 7"
    body = "Worked well; the exit ticket took longer than planned."


def resource(by, **kwargs):
    return ResourceFactory(created_by=by, **kwargs)


# The smallest bytes that pass as a PNG image.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def url(name, res, *args):
    """The address of a resource's page or action."""
    return reverse(f"resources:{name}", args=[res.pk, *args])
