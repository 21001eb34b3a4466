/* fl-event-page.c: the event the leads belong to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-event-page"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "fl-event-page.h"
#include "fl-preferences-private.h"
#include "store/fl-event-settings.h"

/* The event setting the thanks page turns into a QR code. */
#define SETTING_HANDOUT_URL "handout_url"

enum
{
  EVENT_NAME,
  EVENT_STARTS,
  EVENT_ENDS,
  EVENT_VENUE,
  EVENT_BOOTH,
  EVENT_HANDOUT,
  N_EVENT_FIELDS
};

struct _FlEventPage
{
  FlSettingsPage       parent_instance;

  AdwPreferencesGroup *event_group;
  AdwEntryRow         *name_row;
  AdwEntryRow         *starts_row;
  AdwEntryRow         *ends_row;
  AdwEntryRow         *venue_row;
  AdwEntryRow         *booth_row;
  AdwEntryRow         *handout_row;
};

G_DEFINE_FINAL_TYPE (FlEventPage, fl_event_page, FL_TYPE_SETTINGS_PAGE)

static AdwEntryRow *
get_row (FlEventPage *self, guint field)
{
  AdwEntryRow *rows[N_EVENT_FIELDS] = { self->name_row, self->starts_row, self->ends_row, self->venue_row,
                                        self->booth_row, self->handout_row };

  g_assert (field < N_EVENT_FIELDS);
  return rows[field];
}

static void
load_event (FlEventPage *self)
{
  FlStore *store = fl_settings_page_get_store (FL_SETTINGS_PAGE (self));
  g_autoptr(FlEvent) event = NULL;
  const char *values[N_EVENT_FIELDS] = { 0 };

  if (store == NULL)
    return;
  event = fl_store_get_active_event (store, NULL);
  if (event != NULL)
    {
      values[EVENT_NAME] = event->name;
      values[EVENT_STARTS] = event->starts_on;
      values[EVENT_ENDS] = event->ends_on;
      values[EVENT_VENUE] = event->venue;
      values[EVENT_BOOTH] = event->booth;
      values[EVENT_HANDOUT] = json_object_get_string_member_with_default (json_node_get_object (event->settings),
                                                                           SETTING_HANDOUT_URL, NULL);
    }
  adw_preferences_group_set_description (self->event_group,
                                         event ? NULL : _("There is no event yet. Fill in at least its name and "
                                                          "save to create it."));
  for (guint i = 0; i < N_EVENT_FIELDS; i++)
    gtk_editable_set_text (GTK_EDITABLE (get_row (self, i)), values[i] ? values[i] : "");
}

static void
save_cb (FlEventPage *self)
{
  g_autoptr(GError) error = NULL;

  if (!fl_event_page_save (self, &error))
    _fl_preferences_toast (GTK_WIDGET (self), error->message);
  else
    _fl_preferences_toast (GTK_WIDGET (self), _("Event saved"));
}

static void
fl_event_page_reload (FlSettingsPage *page)
{
  load_event (FL_EVENT_PAGE (page));
}

static void
fl_event_page_class_init (FlEventPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  FL_SETTINGS_PAGE_CLASS (klass)->reload = fl_event_page_reload;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/fairlead/Fairlead/fl-event-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FlEventPage, event_group);
  gtk_widget_class_bind_template_child (widget_class, FlEventPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, FlEventPage, starts_row);
  gtk_widget_class_bind_template_child (widget_class, FlEventPage, ends_row);
  gtk_widget_class_bind_template_child (widget_class, FlEventPage, venue_row);
  gtk_widget_class_bind_template_child (widget_class, FlEventPage, booth_row);
  gtk_widget_class_bind_template_child (widget_class, FlEventPage, handout_row);
  gtk_widget_class_bind_template_callback (widget_class, save_cb);
}

static void
date_picked_cb (GtkCalendar *calendar, AdwEntryRow *row)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (date, "%Y-%m-%d");
  GtkWidget *button = gtk_widget_get_ancestor (GTK_WIDGET (calendar), GTK_TYPE_MENU_BUTTON);

  if (g_object_get_data (G_OBJECT (calendar), "filling") != NULL)
    return;
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  if (button != NULL)
    gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
}

/* The calendar opens on the day the field holds, else today. */
static void
picker_shown_cb (GtkPopover *popover, AdwEntryRow *row)
{
  GtkCalendar *calendar = GTK_CALENDAR (gtk_popover_get_child (popover));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autoptr(GDateTime) date = NULL;
  int y, m, d;

  if (sscanf (text, "%d-%d-%d", &y, &m, &d) == 3)
    date = g_date_time_new_local (y, m, d, 0, 0, 0);
  if (date == NULL)
    date = g_date_time_new_now_local ();
  g_object_set_data (G_OBJECT (calendar), "filling", GINT_TO_POINTER (TRUE));
  gtk_calendar_select_day (calendar, date);
  g_object_set_data (G_OBJECT (calendar), "filling", NULL);
}

/* A date field keeps its text (YYYY-MM-DD, as typed before) and gets a
 * button with a calendar, for a touch screen without a keyboard. */
static void
add_date_picker (AdwEntryRow *row)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *calendar = gtk_calendar_new ();

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
  gtk_widget_set_tooltip_text (button, _("Choose the Day"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_popover_set_child (GTK_POPOVER (popover), calendar);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  g_signal_connect (calendar, "day-selected", G_CALLBACK (date_picked_cb), row);
  g_signal_connect (popover, "show", G_CALLBACK (picker_shown_cb), row);
  adw_entry_row_add_suffix (row, button);
  g_object_set_data (G_OBJECT (row), "calendar", calendar);
}

static void
fl_event_page_init (FlEventPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_date_picker (self->starts_row);
  add_date_picker (self->ends_row);
}

/* Public API */

/**
 * fl_event_page_save:
 *
 * Saves the event fields, creating the event when there is none.
 */
gboolean
fl_event_page_save (FlEventPage *self, GError **error)
{
  FlStore *store = fl_settings_page_get_store (FL_SETTINGS_PAGE (self));
  const char *actor = fl_settings_page_get_actor (FL_SETTINGS_PAGE (self));
  g_autoptr(FlEvent) event = NULL;
  g_autofree char *values[N_EVENT_FIELDS] = { 0 };
  gboolean created = FALSE;

  g_return_val_if_fail (FL_IS_EVENT_PAGE (self), FALSE);
  g_return_val_if_fail (store != NULL, FALSE);

  event = fl_store_get_active_event (store, NULL);
  for (guint i = 0; i < N_EVENT_FIELDS; i++)
    values[i] = _fl_preferences_entry_text (get_row (self, i));
  if (*values[EVENT_NAME] == '\0')
    {
      g_set_error_literal (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                           _("The event needs a name, as visitors and the CRM will see it"));
      return FALSE;
    }
  for (guint i = EVENT_STARTS; i <= EVENT_ENDS; i++)
    if (*values[i] != '\0' && !fl_event_check_date (values[i]))
      {
        g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                     _("“%s” is not a date; write it as YYYY-MM-DD, e.g. 2026-06-23"), values[i]);
        return FALSE;
      }
  if (*values[EVENT_STARTS] && *values[EVENT_ENDS] && strcmp (values[EVENT_STARTS], values[EVENT_ENDS]) > 0)
    {
      g_set_error_literal (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                           _("The event ends before it starts; check the two dates"));
      return FALSE;
    }
  if (!fl_event_settings_check_handout_url (values[EVENT_HANDOUT], error))
    return FALSE;

  if (event == NULL)
    {
      event = fl_event_new ();
      created = TRUE;
    }
#define SET(field, index) (g_free (event->field), event->field = *values[index] ? g_strdup (values[index]) : NULL)
  SET (name, EVENT_NAME);
  SET (starts_on, EVENT_STARTS);
  SET (ends_on, EVENT_ENDS);
  SET (venue, EVENT_VENUE);
  SET (booth, EVENT_BOOTH);
#undef SET
  if (*values[EVENT_HANDOUT])
    json_object_set_string_member (json_node_get_object (event->settings), SETTING_HANDOUT_URL,
                                   values[EVENT_HANDOUT]);
  else
    json_object_remove_member (json_node_get_object (event->settings), SETTING_HANDOUT_URL);

  if (created)
    {
      g_autoptr(FlEvent) saved = fl_store_create_event (store, event, error);

      if (saved == NULL || !fl_store_set_active_event (store, saved->uuid, error))
        return FALSE;
    }
  else if (!fl_store_update_event (store, event, error))
    return FALSE;
  fl_store_add_audit (store, NULL, actor, created ? "event-created" : "event-changed",
                      values[EVENT_NAME], NULL);
  load_event (self);
  return TRUE;
}

/**
 * _fl_event_page_get_entry:
 * @index: 0 for the name, then first day, last day, venue, booth, handout
 */
GtkEditable *
_fl_event_page_get_entry (FlEventPage *self, guint index)
{
  g_return_val_if_fail (index < N_EVENT_FIELDS, NULL);
  return GTK_EDITABLE (get_row (self, index));
}

/* The calendar of a date field: EVENT_STARTS (1) or EVENT_ENDS (2). */
GtkCalendar *
_fl_event_page_get_calendar (FlEventPage *self, guint index)
{
  g_return_val_if_fail (index == EVENT_STARTS || index == EVENT_ENDS, NULL);
  return g_object_get_data (G_OBJECT (get_row (self, index)), "calendar");
}
