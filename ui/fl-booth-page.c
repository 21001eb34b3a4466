/* fl-booth-page.c: the booth this kiosk syncs its leads with
 *
 * Without a booth the page creates one or joins one: the join code comes
 * typed, pasted or from the badge scanner (it types into the focused code
 * row, ending with Enter; a scan the kiosk window receives while this page
 * waits comes here too). In a booth it lists the kiosks, shows the join
 * code again, keeps explicit peers and leaves. Joining and leaving talk to
 * other kiosks and run in a worker thread with a store of their own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-booth-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "booth/fl-booth.h"
#include "booth/fl-booth-cert.h"
#include "booth/fl-booth-client.h"
#include "booth/fl-booth-kiosk.h"
#include "fl-booth-page.h"
#include "fl-booth-page-private.h"
#include "fl-preferences-private.h"
#include "scan/fl-qr.h"

/* Big enough for another kiosk's camera at arm's length. */
#define QR_TARGET_SIZE 360

struct _FlBoothPage
{
  AdwPreferencesPage   parent_instance;

  FlStore             *store;
  FlBoothService      *service;
  GCancellable        *cancellable;
  GPtrArray           *device_rows;
  GPtrArray           *peer_rows;
  char                *shown_code;
  char                *rows_signature;
  gboolean             in_booth;
  gboolean             joining;
  gboolean             leaving;

  AdwPreferencesGroup *name_group;
  AdwEntryRow         *device_name_row;
  AdwPreferencesGroup *create_group;
  AdwEntryRow         *booth_name_row;
  AdwPreferencesGroup *join_group;
  AdwEntryRow         *code_row;
  GtkSpinner          *join_spinner;
  GtkLabel            *join_label;
  AdwPreferencesGroup *devices_group;
  AdwPreferencesGroup *code_group;
  GtkPicture          *qr_picture;
  GtkLabel            *code_label;
  AdwPreferencesGroup *peers_group;
  AdwEntryRow         *peer_row;
  AdwPreferencesGroup *leave_group;
};

G_DEFINE_FINAL_TYPE (FlBoothPage, fl_booth_page, ADW_TYPE_PREFERENCES_PAGE)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_SERVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Shared with the window */

/**
 * fl_booth_start_service:
 *
 * Starts @service on the default port (or $FAIRLEAD_BOOTH_LISTEN,
 * "ADDR:PORT") with the explicit peers kept in the database.
 */
gboolean
fl_booth_start_service (FlBoothService *service, GError **error)
{
  g_auto(GStrv) peers = NULL;

  g_return_val_if_fail (FL_IS_BOOTH_SERVICE (service), FALSE);

  peers = fl_booth_get_peers (fl_booth_service_get_store (service));
  fl_booth_service_set_peers (service, (const char * const *) peers);
  if (fl_booth_service_get_running (service))
    return TRUE;
  return fl_booth_service_start (service, g_getenv ("FAIRLEAD_BOOTH_LISTEN"), error);
}

/* "just now", "2 min ago", "3 h ago", "2 days ago", "never" */
char *
fl_booth_format_seen (gint64 last_seen, gint64 now)
{
  gint64 ago = now - last_seen;

  if (last_seen <= 0)
    return g_strdup (C_("booth kiosk", "never"));
  if (ago < 60)
    return g_strdup (_("just now"));
  if (ago < 3600)
    return g_strdup_printf (_("%u min ago"), (guint) (ago / 60));
  if (ago < 24 * 3600)
    return g_strdup_printf (_("%u h ago"), (guint) (ago / 3600));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day ago", "%u days ago",
                                       ago / (24 * 3600)),
                          (guint) (ago / (24 * 3600)));
}

/* What went wrong and what to do, for a person at the kiosk. */
char *
fl_booth_describe_join_error (const GError *error)
{
  const char *what;

  if (error->domain != FL_BOOTH_ERROR)
    return g_strdup (error->message);
  switch (error->code)
    {
    case FL_BOOTH_ERROR_BAD_CODE:
      what = _("This is not a booth’s join code. Scan or copy it again from the kiosk that shows it.");
      break;
    case FL_BOOTH_ERROR_UNREACHABLE:
      what = _("The kiosk that shows the code could not be reached. Check that both are on the "
               "same network and that it is running, then try again.");
      break;
    case FL_BOOTH_ERROR_REFUSED:
    case FL_BOOTH_ERROR_NOT_MEMBER:
      what = _("The booth refused this kiosk: the code is outdated or belongs to another booth. "
               "Show the code again on a kiosk of the booth and scan that one.");
      break;
    case FL_BOOTH_ERROR_ALREADY:
      what = _("This kiosk is in a booth already; leave it first.");
      break;
    default:
      return g_strdup (error->message);
    }
  return g_strdup_printf ("%s (%s)", what, error->message);
}

/* What the leave thread needs: its own connection to the database. */
typedef struct
{
  char *path;
  char *device_id;
} JoinData;

static void
join_data_free (JoinData *data)
{
  g_free (data->path);
  g_free (data->device_id);
  g_free (data);
}

/* The page */

static char *
render_code_texture (const char *text, GdkTexture **texture, GError **error)
{
  g_autoptr(FlFrame) probe = NULL;
  g_autoptr(FlFrame) frame = NULL;
  guint scale;

  /* Whole pixels per module: a QR code scaled by a fraction blurs. */
  probe = fl_qr_render (text, FL_QR_EC_MEDIUM, 1, FL_QR_DEFAULT_MARGIN, FL_PIXEL_FORMAT_RGBA8, error);
  if (probe == NULL)
    return NULL;
  scale = MAX (3, QR_TARGET_SIZE / probe->width);
  frame = fl_qr_render (text, FL_QR_EC_MEDIUM, scale, FL_QR_DEFAULT_MARGIN, FL_PIXEL_FORMAT_RGBA8,
                        error);
  if (frame == NULL)
    return NULL;
  *texture = gdk_memory_texture_new (frame->width, frame->height, GDK_MEMORY_R8G8B8A8,
                                     frame->pixels, frame->stride);
  return g_strdup (text);
}

static void
show_code (FlBoothPage *self, FlBooth *booth)
{
  g_autofree char *code = fl_booth_get_join_code (booth);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *drawn = NULL;

  if (g_strcmp0 (code, self->shown_code) == 0)
    return;
  g_free (self->shown_code);
  self->shown_code = g_strdup (code);
  gtk_label_set_label (self->code_label, code);
  drawn = render_code_texture (code, &texture, &error);
  if (drawn == NULL)
    g_warning ("The join code cannot be drawn as a QR code: %s", error->message);
  gtk_picture_set_paintable (self->qr_picture, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->qr_picture), texture != NULL);
}

static char *
member_subtitle (FlBoothMember *member, gboolean is_self, gint64 now)
{
  g_autofree char *seen = NULL;
  g_autofree char *state = NULL;

  /* Where this kiosk serves: what the others' peer list wants. */
  if (is_self && member->addresses != NULL && member->addresses[0] != NULL)
    return g_strdup_printf (_("This kiosk, at %s"), member->addresses[0]);
  if (is_self)
    return g_strdup (_("This kiosk"));
  seen = fl_booth_format_seen (member->last_seen, now);
  if (member->last_round == 0)
    state = g_strdup (C_("booth kiosk", "not synced yet"));
  else if (member->in_sync && member->pending == 0)
    state = g_strdup (C_("booth kiosk", "in sync"));
  else if (member->pending > 0)
    state = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change behind", "%u changes behind",
                                          member->pending),
                             (guint) MIN (member->pending, G_MAXUINT));
  else
    state = g_strdup (C_("booth kiosk", "changes pending"));
  /* Translators: "last seen 2 min ago · in sync" */
  return g_strdup_printf (_("last seen %s · %s"), seen, state);
}

static void
load_devices (FlBoothPage *self, FlBooth *booth)
{
  GPtrArray *members = fl_booth_get_members (booth);
  FlBoothMember *me = fl_booth_get_self (booth);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(GString) signature = g_string_new (NULL);
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) subtitles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autofree char *title = NULL;
  const char *state = self->service != NULL && fl_booth_service_get_running (self->service)
                        ? fl_booth_service_get_state_text (self->service) : NULL;

  /* This kiosk first, then the others as the booth lists them. */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < members->len; i++)
      {
        FlBoothMember *member = members->pdata[i];
        gboolean is_self = member == me;

        if (member->removed || (pass == 0) != is_self)
          continue;
        g_ptr_array_add (ids, member->id);
        g_ptr_array_add (titles, is_self ? g_strdup_printf (_("%s (this kiosk)"), member->name)
                                         : g_strdup (member->name));
        g_ptr_array_add (subtitles, member_subtitle (member, is_self, now));
        g_string_append_printf (signature, "%s\n%s\n%s\n", member->id,
                                (char *) titles->pdata[titles->len - 1],
                                (char *) subtitles->pdata[subtitles->len - 1]);
      }

  title = g_strdup_printf (_("Booth “%s”"), fl_booth_get_name (booth));
  adw_preferences_group_set_title (self->devices_group, title);
  adw_preferences_group_set_description (self->devices_group,
                                         state != NULL ? state
                                                       : _("Sync is not running on this kiosk"));

  /* Rebuilt only when something changed: a round every second must not
   * take the focus from a Remove button. */
  if (g_strcmp0 (signature->str, self->rows_signature) == 0)
    return;
  g_free (self->rows_signature);
  self->rows_signature = g_string_free (g_steal_pointer (&signature), FALSE);
  _fl_preferences_clear_rows (self->devices_group, self->device_rows);
  for (guint i = 0; i < ids->len; i++)
    {
      GtkWidget *row = _fl_preferences_add_row (self->devices_group, self->device_rows,
                                                titles->pdata[i], subtitles->pdata[i]);

      g_object_set_data_full (G_OBJECT (row), "device-id", g_strdup (ids->pdata[i]), g_free);
      if (i > 0)
        {
          GtkWidget *button = _fl_preferences_action_button (NULL, "user-trash-symbolic",
                                                             "booth.remove", ids->pdata[i]);

          gtk_widget_set_tooltip_text (button, _("Remove from the Booth"));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
    }
}

static void
load_peers (FlBoothPage *self)
{
  g_auto(GStrv) peers = fl_booth_get_peers (self->store);

  _fl_preferences_clear_rows (self->peers_group, self->peer_rows);
  for (guint i = 0; peers[i] != NULL; i++)
    {
      GtkWidget *row = _fl_preferences_add_row (self->peers_group, self->peer_rows, peers[i], NULL);

      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 _fl_preferences_action_button (NULL, "user-trash-symbolic",
                                                                "booth.remove-peer", peers[i]));
    }
}

static void
update_sensitivity (FlBoothPage *self)
{
  gboolean busy = self->joining || self->leaving;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "booth.create", !busy && !self->in_booth);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "booth.join", !busy && !self->in_booth);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "booth.leave", !busy && self->in_booth);
  gtk_spinner_set_spinning (self->join_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->join_spinner), busy);
}

/**
 * fl_booth_page_reload:
 *
 * Reads the booth again: the setup when there is none, else its kiosks.
 */
void
fl_booth_page_reload (FlBoothPage *self)
{
  g_autoptr(FlBooth) booth = NULL;
  g_autoptr(GError) error = NULL;
  gboolean in_booth;

  g_return_if_fail (FL_IS_BOOTH_PAGE (self));

  if (self->store != NULL)
    booth = fl_booth_load (self->store, &error);
  if (booth == NULL && error != NULL && !g_error_matches (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_NOT_IN_BOOTH))
    g_warning ("The booth cannot be read: %s", error->message);
  in_booth = booth != NULL && fl_booth_get_self (booth) != NULL;

  if (in_booth != self->in_booth)
    {
      g_clear_pointer (&self->rows_signature, g_free);
      g_clear_pointer (&self->shown_code, g_free);
    }
  self->in_booth = in_booth;
  gtk_widget_set_visible (GTK_WIDGET (self->name_group), !in_booth);
  gtk_widget_set_visible (GTK_WIDGET (self->create_group), !in_booth);
  gtk_widget_set_visible (GTK_WIDGET (self->join_group), !in_booth);
  gtk_widget_set_visible (GTK_WIDGET (self->devices_group), in_booth);
  gtk_widget_set_visible (GTK_WIDGET (self->code_group), in_booth && !fl_booth_get_self (booth)->removed);
  gtk_widget_set_visible (GTK_WIDGET (self->peers_group), in_booth);
  gtk_widget_set_visible (GTK_WIDGET (self->leave_group), in_booth);
  update_sensitivity (self);
  if (!in_booth)
    {
      _fl_preferences_clear_rows (self->devices_group, self->device_rows);
      _fl_preferences_clear_rows (self->peers_group, self->peer_rows);
      if (gtk_editable_get_text (GTK_EDITABLE (self->device_name_row))[0] == '\0')
        gtk_editable_set_text (GTK_EDITABLE (self->device_name_row), g_get_host_name ());
      return;
    }
  load_devices (self, booth);
  show_code (self, booth);
  load_peers (self);
}

/* Waiting for a join code: no booth yet, on show, not joining already. */
gboolean
fl_booth_page_get_waiting (FlBoothPage *self)
{
  g_return_val_if_fail (FL_IS_BOOTH_PAGE (self), FALSE);
  return self->store != NULL && !self->in_booth && !self->joining &&
         gtk_widget_get_mapped (GTK_WIDGET (self));
}

static void
set_join_message (FlBoothPage *self, const char *text, gboolean failed)
{
  gtk_label_set_label (self->join_label, text != NULL ? text : "");
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (self->join_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->join_label), "error");
}

static void
service_started (FlBoothPage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->service == NULL)
    return;
  if (!fl_booth_start_service (self->service, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Booth sync could not start: %s"), error->message);

      _fl_preferences_toast (GTK_WIDGET (self), text);
    }
}

static void
join_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(FlBoothPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = fl_booth_join_finish (result, &error);

  self->joining = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (name == NULL)
    {
      g_autofree char *text = fl_booth_describe_join_error (error);

      set_join_message (self, text, TRUE);
      update_sensitivity (self);
      return;
    }
  {
    g_autofree char *text = g_strdup_printf (_("Joined the booth “%s”"), name);

    set_join_message (self, NULL, FALSE);
    gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
    service_started (self);
    fl_booth_page_reload (self);
    _fl_preferences_toast (GTK_WIDGET (self), text);
  }
}

/**
 * fl_booth_page_join:
 * @code: a join code, typed or scanned
 *
 * Joins the booth of @code; the page shows the progress and the outcome.
 */
void
fl_booth_page_join (FlBoothPage *self, const char *code)
{
  g_autofree char *device_name = NULL;

  g_return_if_fail (FL_IS_BOOTH_PAGE (self));
  g_return_if_fail (code != NULL);

  if (self->store == NULL || self->in_booth || self->joining)
    return;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->code_row)), code) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->code_row), code);
  device_name = _fl_preferences_entry_text (self->device_name_row);
  self->joining = TRUE;
  set_join_message (self, _("Joining the booth…"), FALSE);
  update_sensitivity (self);
  fl_booth_join_async (fl_store_get_path (self->store), code, device_name, self->cancellable, join_done_cb,
                       g_object_ref (self));
}

static void
code_activated_cb (FlBoothPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "booth.join", NULL);
}

static void
join_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlBoothPage *self = FL_BOOTH_PAGE (widget);
  g_autofree char *code = _fl_preferences_entry_text (self->code_row);

  if (*code == '\0')
    {
      set_join_message (self, _("Scan the join code with the badge scanner, or type or paste it"),
                        TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
      return;
    }
  fl_booth_page_join (self, code);
}

static GStrv
local_addresses (void)
{
  /* The service puts the addresses it really listens on into the
   * booth once it runs; this is for a code shown before that. */
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  return g_strv_builder_end (builder);
}

static void
create_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlBoothPage *self = FL_BOOTH_PAGE (widget);
  g_autofree char *name = _fl_preferences_entry_text (self->booth_name_row);
  g_autofree char *device = _fl_preferences_entry_text (self->device_name_row);
  g_autofree char *fingerprint = NULL;
  g_auto(GStrv) addresses = local_addresses ();
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(FlBooth) booth = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;
  if (*name == '\0')
    {
      _fl_preferences_toast (widget, _("Enter the booth’s name first"));
      gtk_widget_grab_focus (GTK_WIDGET (self->booth_name_row));
      return;
    }
  certificate = fl_booth_cert_load_or_create (fl_store_get_path (self->store),
                                              fl_store_get_device_id (self->store), &error);
  if (certificate != NULL)
    {
      fingerprint = fl_booth_cert_fingerprint (certificate);
      booth = fl_booth_create (self->store, name, *device != '\0' ? device : NULL, fingerprint,
                               (const char * const *) addresses, &error);
    }
  if (booth == NULL)
    {
      _fl_preferences_toast (widget, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->booth_name_row), "");
  /* The service writes where it listens into the booth: the code shown
   * after it started carries the kiosk's addresses. */
  service_started (self);
  fl_booth_page_reload (self);
  _fl_preferences_toast (widget, _("Booth created: scan its code on the other kiosks"));
}

static void
copy_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlBoothPage *self = FL_BOOTH_PAGE (widget);

  if (self->shown_code == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->shown_code);
  _fl_preferences_toast (widget, _("Join code copied"));
}

static void
remove_device (GtkWidget *widget, const char *device_id)
{
  FlBoothPage *self = FL_BOOTH_PAGE (widget);
  g_autoptr(FlBooth) booth = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  FlBoothMember *member;

  if (!fl_store_begin (self->store, &error))
    goto failed;
  if ((booth = fl_booth_load (self->store, &error)) == NULL)
    {
      fl_store_rollback (self->store);
      goto failed;
    }
  member = fl_booth_find_member (booth, device_id);
  if (member == NULL || member == fl_booth_get_self (booth))
    {
      fl_store_rollback (self->store);
      fl_booth_page_reload (self);
      return;
    }
  name = g_strdup (member->name);
  fl_booth_remove_member (booth, member);
  if (!fl_booth_save (booth, &error) || !fl_store_commit (self->store, &error))
    {
      fl_store_rollback (self->store);
      goto failed;
    }
  if (self->service != NULL)
    fl_booth_service_sync_soon (self->service);
  fl_booth_page_reload (self);
  {
    g_autofree char *text = g_strdup_printf (_("“%s” was removed from the booth"), name);

    _fl_preferences_toast (widget, text);
  }
  return;

failed:
  _fl_preferences_toast (widget, error->message);
}

static AdwMessageDialog *
ask_remove (FlBoothPage *self, const char *device_id)
{
  g_autoptr(FlBooth) booth = fl_booth_load (self->store, NULL);
  FlBoothMember *member = booth != NULL ? fl_booth_find_member (booth, device_id) : NULL;
  g_autofree char *heading = NULL;

  if (member == NULL)
    return NULL;
  heading = g_strdup_printf (_("Remove “%s” from the Booth?"), member->name);
  return _fl_preferences_ask_to_remove (GTK_WIDGET (self), heading,
                                        _("It can no longer sync with this booth; the leads it "
                                          "already shared stay. The booth gets a new join code: "
                                          "codes shown before stop working. To bring it back, "
                                          "leave the booth on it and join again."),
                                        device_id, remove_device);
}

static void
remove_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ask_remove (FL_BOOTH_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
save_peers (FlBoothPage *self, GStrv peers)
{
  g_autoptr(GError) error = NULL;

  if (!fl_booth_set_peers (self->store, (const char * const *) peers, &error))
    {
      _fl_preferences_toast (GTK_WIDGET (self), error->message);
      return;
    }
  if (self->service != NULL)
    {
      fl_booth_service_set_peers (self->service, (const char * const *) peers);
      fl_booth_service_sync_soon (self->service);
    }
  load_peers (self);
}

static void
peer_apply_cb (FlBoothPage *self)
{
  g_autofree char *peer = _fl_preferences_entry_text (self->peer_row);
  g_auto(GStrv) peers = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  g_autoptr(GError) error = NULL;

  if (!fl_booth_check_peer (peer, &error))
    {
      _fl_preferences_toast (GTK_WIDGET (self), error->message);
      return;
    }
  peers = fl_booth_get_peers (self->store);
  g_strv_builder_addv (builder, (const char **) peers);
  g_strv_builder_add (builder, peer);
  updated = g_strv_builder_end (builder);
  save_peers (self, updated);
  gtk_editable_set_text (GTK_EDITABLE (self->peer_row), "");
}

static void
remove_peer_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlBoothPage *self = FL_BOOTH_PAGE (widget);
  const char *peer = g_variant_get_string (parameter, NULL);
  g_auto(GStrv) peers = fl_booth_get_peers (self->store);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;

  for (guint i = 0; peers[i] != NULL; i++)
    if (g_strcmp0 (peers[i], peer) != 0)
      g_strv_builder_add (builder, peers[i]);
  updated = g_strv_builder_end (builder);
  save_peers (self, updated);
}

/* Leaving: tell whom we reach, then forget the booth and its key. */
static void
leave_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  JoinData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlBooth) booth = NULL;

  if ((store = fl_store_open (data->path, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  booth = fl_booth_load (store, NULL);
  if (booth != NULL && fl_booth_get_self (booth) != NULL && !fl_booth_get_self (booth)->removed)
    {
      g_autoptr(GTlsCertificate) certificate = NULL;

      fl_booth_remove_member (booth, fl_booth_get_self (booth));
      if (fl_booth_save (booth, NULL) &&
          (certificate = fl_booth_cert_load_or_create (data->path, data->device_id, NULL)) != NULL)
        {
          /* Best effort: whoever is not told learns it from those who were. */
          g_autoptr(GPtrArray) reports = fl_booth_sync (store, certificate, NULL, NULL,
                                                        FL_BOOTH_SYNC_DEFAULT, cancellable, NULL);
        }
    }
  if (!fl_booth_forget (store, &error) || !fl_booth_cert_delete (data->path, &error) ||
      !fl_booth_set_peers (store, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
leave_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(FlBoothPage) self = user_data;
  g_autoptr(GError) error = NULL;

  self->leaving = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _fl_preferences_toast (GTK_WIDGET (self), error->message);
    }
  else
    _fl_preferences_toast (GTK_WIDGET (self), _("This kiosk left the booth; its leads stay here"));
  fl_booth_page_reload (self);
  if (self->service != NULL)
    g_object_notify (G_OBJECT (self->service), "running");
}

static gboolean
leave_when_idle_cb (gpointer user_data)
{
  FlBoothPage *self = user_data;
  g_autoptr(GTask) task = NULL;
  JoinData *data;

  /* The round under way writes the booth; it must not write it back. */
  if (self->service != NULL && fl_booth_service_get_in_round (self->service))
    return G_SOURCE_CONTINUE;
  data = g_new0 (JoinData, 1);
  data->path = g_strdup (fl_store_get_path (self->store));
  data->device_id = g_strdup (fl_store_get_device_id (self->store));
  task = g_task_new (NULL, self->cancellable, leave_done_cb, g_object_ref (self));
  g_task_set_task_data (task, data, (GDestroyNotify) join_data_free);
  g_task_run_in_thread (task, leave_thread);
  return G_SOURCE_REMOVE;
}

static void
leave_response_cb (AdwMessageDialog *dialog, const char *response, FlBoothPage *self)
{
  if (g_strcmp0 (response, "leave") != 0 || self->store == NULL || self->leaving)
    return;
  self->leaving = TRUE;
  update_sensitivity (self);
  if (self->service != NULL)
    fl_booth_service_stop (self->service);
  g_timeout_add_full (G_PRIORITY_DEFAULT, 50, leave_when_idle_cb, g_object_ref (self),
                      g_object_unref);
}

static void
leave_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  GtkWidget *dialog =
    adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), _("Leave the Booth?"),
                            _("This kiosk stops sharing leads with the booth. The leads on it "
                              "stay, and the other kiosks keep theirs. To come back, join with "
                              "a new code."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "leave", _("_Leave"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "leave",
                                              ADW_RESPONSE_DESTRUCTIVE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (leave_response_cb), widget, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
service_changed_cb (FlBoothPage *self)
{
  if (!self->leaving)
    fl_booth_page_reload (self);
}

static void
set_service (FlBoothPage *self, FlBoothService *service)
{
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (self->service, self);
  g_set_object (&self->service, service);
  if (service != NULL)
    {
      g_signal_connect_swapped (service, "round-finished", G_CALLBACK (service_changed_cb), self);
      g_signal_connect_swapped (service, "notify::state-text", G_CALLBACK (service_changed_cb), self);
      g_signal_connect_swapped (service, "notify::running", G_CALLBACK (service_changed_cb), self);
    }
}

static void
fl_booth_page_map (GtkWidget *widget)
{
  FlBoothPage *self = FL_BOOTH_PAGE (widget);

  GTK_WIDGET_CLASS (fl_booth_page_parent_class)->map (widget);
  fl_booth_page_reload (self);
  /* A badge scanner types where the focus is: into the code row. */
  if (!self->in_booth)
    gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
}

static void
fl_booth_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlBoothPage *self = FL_BOOTH_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_booth_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FlBoothPage *self = FL_BOOTH_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      if (g_set_object (&self->store, g_value_get_object (value)))
        {
          fl_booth_page_reload (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_SERVICE:
      if (self->service != g_value_get_object (value))
        {
          set_service (self, g_value_get_object (value));
          fl_booth_page_reload (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_booth_page_dispose (GObject *object)
{
  FlBoothPage *self = FL_BOOTH_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  set_service (self, NULL);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (fl_booth_page_parent_class)->dispose (object);
}

static void
fl_booth_page_finalize (GObject *object)
{
  FlBoothPage *self = FL_BOOTH_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->device_rows, g_ptr_array_unref);
  g_clear_pointer (&self->peer_rows, g_ptr_array_unref);
  g_free (self->shown_code);
  g_free (self->rows_signature);
  G_OBJECT_CLASS (fl_booth_page_parent_class)->finalize (object);
}

static void
fl_booth_page_class_init (FlBoothPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = fl_booth_page_get_property;
  object_class->set_property = fl_booth_page_set_property;
  object_class->dispose = fl_booth_page_dispose;
  object_class->finalize = fl_booth_page_finalize;
  widget_class->map = fl_booth_page_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, FL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * FlBoothPage:service: (nullable)
   *
   * The kiosk's sync service: started on create and join, stopped on
   * leave. %NULL outside a kiosk window.
   */
  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL, FL_TYPE_BOOTH_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/fairlead/Fairlead/fl-booth-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FlBoothPage, name_group);
  gtk_widget_class_bind_template_child (widget_class, FlBoothPage, device_name_row);
  gtk_widget_class_bind_template_child (widget_class, FlBoothPage, create_group);
  gtk_widget_class_bind_template_child (widget_class, FlBoothPage, booth_name_row);
  gtk_widget_class_bind_template_child (widget_class, FlBoothPage, join_group);
  gtk_widget_class_bind_template_child (widget_class, FlBoothPage, code_row);
  gtk_widget_class_bind_template_child (widget_class, FlBoothPage, join_spinner);
  gtk_widget_class_bind_template_child (widget_class, FlBoothPage, join_label);
  gtk_widget_class_bind_template_child (widget_class, FlBoothPage, devices_group);
  gtk_widget_class_bind_template_child (widget_class, FlBoothPage, code_group);
  gtk_widget_class_bind_template_child (widget_class, FlBoothPage, qr_picture);
  gtk_widget_class_bind_template_child (widget_class, FlBoothPage, code_label);
  gtk_widget_class_bind_template_child (widget_class, FlBoothPage, peers_group);
  gtk_widget_class_bind_template_child (widget_class, FlBoothPage, peer_row);
  gtk_widget_class_bind_template_child (widget_class, FlBoothPage, leave_group);
  gtk_widget_class_bind_template_callback (widget_class, code_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, peer_apply_cb);
  gtk_widget_class_install_action (widget_class, "booth.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "booth.join", NULL, join_action);
  gtk_widget_class_install_action (widget_class, "booth.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "booth.leave", NULL, leave_action);
  gtk_widget_class_install_action (widget_class, "booth.remove", "s", remove_action);
  gtk_widget_class_install_action (widget_class, "booth.remove-peer", "s", remove_peer_action);
}

static void
fl_booth_page_init (FlBoothPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->device_rows = g_ptr_array_new ();
  self->peer_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  fl_booth_page_reload (self);
}

/* For the GUI tests */

GtkEditable *
_fl_booth_page_get_entry (FlBoothPage *self, const char *name)
{
  if (g_str_equal (name, "booth-name"))
    return GTK_EDITABLE (self->booth_name_row);
  if (g_str_equal (name, "device-name"))
    return GTK_EDITABLE (self->device_name_row);
  if (g_str_equal (name, "code"))
    return GTK_EDITABLE (self->code_row);
  if (g_str_equal (name, "peer"))
    return GTK_EDITABLE (self->peer_row);
  g_return_val_if_reached (NULL);
}

GtkLabel *
_fl_booth_page_get_code_label (FlBoothPage *self)
{
  return self->code_label;
}

GtkPicture *
_fl_booth_page_get_qr (FlBoothPage *self)
{
  return self->qr_picture;
}

GtkLabel *
_fl_booth_page_get_join_label (FlBoothPage *self)
{
  return self->join_label;
}

GPtrArray *
_fl_booth_page_get_rows (FlBoothPage *self)
{
  return self->device_rows;
}

gboolean
_fl_booth_page_get_joining (FlBoothPage *self)
{
  return self->joining;
}

AdwMessageDialog *
_fl_booth_page_ask_remove (FlBoothPage *self, const char *device_id)
{
  return ask_remove (self, device_id);
}
