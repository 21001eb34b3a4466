/* fl-booth-discovery.c: kiosks of a booth find each other by DNS-SD
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-booth"

#include "config.h"

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-glib/glib-malloc.h>
#include <avahi-glib/glib-watch.h>
#include <glib/gi18n-lib.h>

#include "fl-booth.h"
#include "fl-booth-discovery.h"

struct _FlBoothPublisher
{
  GObject          parent_instance;

  AvahiGLibPoll   *poll;
  AvahiClient     *client;
  AvahiEntryGroup *group;
  char            *name;
  char            *booth_txt;
  char            *device_txt;
  guint            port;
};

G_DEFINE_FINAL_TYPE (FlBoothPublisher, fl_booth_publisher, G_TYPE_OBJECT)

static void
no_avahi_error (int code, GError **error)
{
  g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_UNREACHABLE,
               _("Kiosks cannot find each other on this network by themselves: Avahi is not "
                 "available (%s). Give other kiosks as --peer HOST:PORT; addresses seen "
                 "before are tried as well"),
               avahi_strerror (code));
}

static void publish (FlBoothPublisher *self);

static void
group_cb (AvahiEntryGroup *group, AvahiEntryGroupState state, void *user_data)
{
  FlBoothPublisher *self = user_data;

  if (state == AVAHI_ENTRY_GROUP_COLLISION)
    {
      /* Another kiosk has the same name: take "name #2" and try again. */
      char *alternative = avahi_alternative_service_name (self->name);

      g_free (self->name);
      self->name = g_strdup (alternative);
      avahi_free (alternative);
      avahi_entry_group_reset (group);
      publish (self);
    }
  else if (state == AVAHI_ENTRY_GROUP_FAILURE)
    g_message ("booth: could not announce this kiosk: %s",
               avahi_strerror (avahi_client_errno (avahi_entry_group_get_client (group))));
}

static void
publish (FlBoothPublisher *self)
{
  int ret;

  if (self->group == NULL)
    self->group = avahi_entry_group_new (self->client, group_cb, self);
  if (self->group == NULL)
    return;
  ret = avahi_entry_group_add_service (self->group, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, 0,
                                       self->name, FL_BOOTH_SERVICE_TYPE, NULL, NULL,
                                       self->port, self->booth_txt, self->device_txt, NULL);
  if (ret == AVAHI_ERR_COLLISION)
    {
      group_cb (self->group, AVAHI_ENTRY_GROUP_COLLISION, self);
      return;
    }
  if (ret < 0 || (ret = avahi_entry_group_commit (self->group)) < 0)
    g_message ("booth: could not announce this kiosk: %s", avahi_strerror (ret));
}

static void
publisher_client_cb (AvahiClient *client, AvahiClientState state, void *user_data)
{
  FlBoothPublisher *self = user_data;

  self->client = client;
  if (state == AVAHI_CLIENT_S_RUNNING)
    publish (self);
  else if (state == AVAHI_CLIENT_S_COLLISION || state == AVAHI_CLIENT_S_REGISTERING)
    {
      if (self->group != NULL)
        avahi_entry_group_reset (self->group);
    }
}

static void
fl_booth_publisher_finalize (GObject *object)
{
  FlBoothPublisher *self = (FlBoothPublisher *) object;

  /* Freeing the client frees its groups. */
  g_clear_pointer (&self->client, avahi_client_free);
  g_clear_pointer (&self->poll, avahi_glib_poll_free);
  g_free (self->name);
  g_free (self->booth_txt);
  g_free (self->device_txt);

  G_OBJECT_CLASS (fl_booth_publisher_parent_class)->finalize (object);
}

static void
fl_booth_publisher_class_init (FlBoothPublisherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fl_booth_publisher_finalize;
}

static void
fl_booth_publisher_init (FlBoothPublisher *self)
{
}

FlBoothPublisher *
fl_booth_publisher_new (const char *booth_id, const char *device_id, const char *name,
                        guint port, GError **error)
{
  g_autoptr(FlBoothPublisher) self = g_object_new (FL_TYPE_BOOTH_PUBLISHER, NULL);
  AvahiClient *client;
  int code = 0;

  g_return_val_if_fail (booth_id != NULL && device_id != NULL, NULL);

  avahi_set_allocator (avahi_glib_allocator ());
  self->name = g_strdup_printf ("Fairlead %s", name != NULL ? name : device_id);
  self->booth_txt = g_strdup_printf ("booth=%s", booth_id);
  self->device_txt = g_strdup_printf ("device=%s", device_id);
  self->port = port;
  self->poll = avahi_glib_poll_new (g_main_context_get_thread_default (), G_PRIORITY_DEFAULT);
  client = avahi_client_new (avahi_glib_poll_get (self->poll), 0, publisher_client_cb, self,
                             &code);
  if (client == NULL)
    {
      no_avahi_error (code, error);
      return NULL;
    }
  self->client = client;
  return g_steal_pointer (&self);
}

typedef struct
{
  const char *booth_id;
  const char *own_device_id;
  GPtrArray  *found;
  guint       resolving;
  gboolean    all_for_now;
  gboolean    failed;
} Browse;

static char *
txt_value (AvahiStringList *txt, const char *key)
{
  AvahiStringList *entry = avahi_string_list_find (txt, key);
  char *k = NULL;
  char *v = NULL;
  char *result;

  if (entry == NULL || avahi_string_list_get_pair (entry, &k, &v, NULL) < 0)
    return NULL;
  result = g_strdup (v);
  avahi_free (k);
  avahi_free (v);
  return result;
}

static void
resolve_cb (AvahiServiceResolver *resolver, AvahiIfIndex interface, AvahiProtocol protocol,
            AvahiResolverEvent event, const char *name, const char *type, const char *domain,
            const char *host_name, const AvahiAddress *address, uint16_t port,
            AvahiStringList *txt, AvahiLookupResultFlags flags, void *user_data)
{
  Browse *browse = user_data;

  if (event == AVAHI_RESOLVER_FOUND && address != NULL)
    {
      g_autofree char *booth = txt_value (txt, "booth");
      g_autofree char *device = txt_value (txt, "device");
      char text[AVAHI_ADDRESS_STR_MAX];

      avahi_address_snprint (text, sizeof text, address);
      if (g_strcmp0 (booth, browse->booth_id) == 0 &&
          g_strcmp0 (device, browse->own_device_id) != 0)
        g_ptr_array_add (browse->found,
                         address->proto == AVAHI_PROTO_INET6
                           ? g_strdup_printf ("[%s]:%u", text, port)
                           : g_strdup_printf ("%s:%u", text, port));
    }
  avahi_service_resolver_free (resolver);
  browse->resolving--;
}

static void
browse_cb (AvahiServiceBrowser *browser, AvahiIfIndex interface, AvahiProtocol protocol,
           AvahiBrowserEvent event, const char *name, const char *type, const char *domain,
           AvahiLookupResultFlags flags, void *user_data)
{
  Browse *browse = user_data;

  switch (event)
    {
    case AVAHI_BROWSER_NEW:
      if (avahi_service_resolver_new (avahi_service_browser_get_client (browser), interface,
                                      protocol, name, type, domain, AVAHI_PROTO_UNSPEC, 0,
                                      resolve_cb, browse) != NULL)
        browse->resolving++;
      break;
    case AVAHI_BROWSER_ALL_FOR_NOW:
      browse->all_for_now = TRUE;
      break;
    case AVAHI_BROWSER_FAILURE:
      browse->failed = TRUE;
      break;
    case AVAHI_BROWSER_REMOVE:
    case AVAHI_BROWSER_CACHE_EXHAUSTED:
    default:
      break;
    }
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

GStrv
fl_booth_discovery_browse (const char *booth_id, const char *own_device_id, guint timeout_ms,
                           GError **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSource) timeout = NULL;
  AvahiGLibPoll *poll;
  AvahiClient *client;
  AvahiServiceBrowser *browser = NULL;
  Browse browse = { booth_id, own_device_id, found, 0, FALSE, FALSE };
  gboolean expired = FALSE;
  int code = 0;

  g_return_val_if_fail (booth_id != NULL, NULL);

  avahi_set_allocator (avahi_glib_allocator ());
  g_main_context_push_thread_default (context);
  poll = avahi_glib_poll_new (context, G_PRIORITY_DEFAULT);
  client = avahi_client_new (avahi_glib_poll_get (poll), 0, NULL, NULL, &code);
  if (client != NULL)
    browser = avahi_service_browser_new (client, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                         FL_BOOTH_SERVICE_TYPE, NULL, 0, browse_cb, &browse);
  if (client == NULL || browser == NULL)
    {
      if (client != NULL)
        code = avahi_client_errno (client);
      no_avahi_error (code, error);
      g_clear_pointer (&client, avahi_client_free);
      avahi_glib_poll_free (poll);
      g_main_context_pop_thread_default (context);
      return NULL;
    }

  timeout = g_timeout_source_new (timeout_ms);
  g_source_set_callback (timeout, timeout_cb, &expired, NULL);
  g_source_attach (timeout, context);
  while (!expired && !browse.failed && !(browse.all_for_now && browse.resolving == 0))
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);

  /* Freeing the client frees its browser and resolvers. */
  avahi_client_free (client);
  avahi_glib_poll_free (poll);
  g_main_context_pop_thread_default (context);

  g_ptr_array_add (found, NULL);
  return (GStrv) g_ptr_array_steal (found, NULL);
}
