/* fl-text-limit.c: a text buffer that holds no more than a field may store
 *
 * The store refuses a lead whose notes are over their limit rather than
 * keep less than it was given; the kiosk therefore never lets the notes
 * grow past it, and says so where staff are looking.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-text-limit"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fl-text-limit.h"

typedef struct
{
  gsize      max_bytes;
  GtkWidget *message;  /* (nullable) (unowned) */
} Limit;

static gsize
buffer_bytes (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
  return strlen (text);
}

static void
insert_text_cb (GtkTextBuffer *buffer, GtkTextIter *location, const char *text, int length,
                gpointer user_data)
{
  Limit *limit = user_data;
  gsize n_chars = gtk_text_buffer_get_char_count (buffer);

  /* A character is at most four bytes: most insertions need no counting. */
  if ((n_chars * 4 + (gsize) length) > limit->max_bytes &&
      buffer_bytes (buffer) + (gsize) length > limit->max_bytes)
    {
      g_signal_stop_emission_by_name (buffer, "insert-text");
      if (limit->message != NULL)
        {
          g_autofree char *label = g_strdup_printf (_("The notes can hold at most %lu KiB; "
                                                      "this text was not added. Shorten the "
                                                      "notes first."),
                                                    (unsigned long) limit->max_bytes / 1024);
          gtk_label_set_text (GTK_LABEL (limit->message), label);
          gtk_widget_set_visible (limit->message, TRUE);
          gtk_widget_error_bell (limit->message);
        }
      return;
    }
  if (limit->message != NULL)
    gtk_widget_set_visible (limit->message, FALSE);
}

static void
limit_free (gpointer data, GClosure *closure)
{
  Limit *limit = data;

  if (limit->message != NULL)
    g_object_remove_weak_pointer (G_OBJECT (limit->message), (gpointer *) &limit->message);
  g_free (limit);
}

/**
 * fl_text_limit_attach:
 * @max_bytes: the most bytes of UTF-8 @buffer may hold
 * @message: (nullable): a #GtkLabel shown when text was refused
 *
 * Refuses any insertion that would take @buffer over @max_bytes.
 */
void
fl_text_limit_attach (GtkTextBuffer *buffer, gsize max_bytes, GtkWidget *message)
{
  Limit *limit;

  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));
  g_return_if_fail (message == NULL || GTK_IS_LABEL (message));

  limit = g_new0 (Limit, 1);
  limit->max_bytes = max_bytes;
  limit->message = message;
  if (message != NULL)
    g_object_add_weak_pointer (G_OBJECT (message), (gpointer *) &limit->message);
  g_signal_connect_data (buffer, "insert-text", G_CALLBACK (insert_text_cb), limit, limit_free, 0);
}
