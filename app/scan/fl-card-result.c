/* fl-card-result.c: what was read from a business card
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-card"

#include "config.h"

#include <math.h>
#include <string.h>

#include "fl-card-result.h"

struct _FlCardResult
{
  GObject     parent_instance;

  FlLead     *lead;
  JsonObject *confidences;  /* JSON key of a field → 0..1 */
  JsonObject *sources;      /* JSON key of a field → where it was read */
  char      **lines;
  char       *code;
  char       *fax;
  GBytes     *card_image;   /* the card found in the photo, straightened, grey */
  guint       card_width;
  guint       card_height;
  gsize       card_stride;
  GBytes     *card_color;   /* the same card in colour, at a size to show */
  guint       color_width;
  guint       color_height;
  gsize       color_stride;
  double      prepare_ms;
  double      recognize_ms;
  double      skew;
};

G_DEFINE_FINAL_TYPE (FlCardResult, fl_card_result, G_TYPE_OBJECT)

static void
fl_card_result_finalize (GObject *object)
{
  FlCardResult *self = FL_CARD_RESULT (object);

  g_clear_object (&self->lead);
  g_clear_pointer (&self->confidences, json_object_unref);
  g_clear_pointer (&self->sources, json_object_unref);
  g_clear_pointer (&self->lines, g_strfreev);
  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->fax, g_free);
  g_clear_pointer (&self->card_image, g_bytes_unref);
  g_clear_pointer (&self->card_color, g_bytes_unref);

  G_OBJECT_CLASS (fl_card_result_parent_class)->finalize (object);
}

static void
fl_card_result_class_init (FlCardResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fl_card_result_finalize;
}

static void
fl_card_result_init (FlCardResult *self)
{
  self->lead = fl_lead_new ();
  fl_lead_set_source (self->lead, FL_SOURCE_CARD_OCR);
  self->confidences = json_object_new ();
  self->sources = json_object_new ();
  self->lines = g_new0 (char *, 1);
}

FlCardResult *
fl_card_result_new (void)
{
  return g_object_new (FL_TYPE_CARD_RESULT, NULL);
}

/**
 * fl_card_result_get_lead:
 *
 * Returns: (transfer none): the lead, source `card-ocr`, with the fields
 *   found and the recognised text as its raw payload
 */
FlLead *
fl_card_result_get_lead (FlCardResult *self)
{
  g_return_val_if_fail (FL_IS_CARD_RESULT (self), NULL);
  return self->lead;
}

/**
 * fl_card_result_get_lines:
 *
 * Returns: (transfer none): the recognised lines, top to bottom
 */
const char * const *
fl_card_result_get_lines (FlCardResult *self)
{
  g_return_val_if_fail (FL_IS_CARD_RESULT (self), NULL);
  return (const char * const *) self->lines;
}

/**
 * fl_card_result_get_code:
 *
 * Returns: (nullable): the payload of the QR code or barcode found on the
 *   card by the reader's decode function; when set, no OCR was done and the
 *   payload belongs to the badge and card parser
 */
const char *
fl_card_result_get_code (FlCardResult *self)
{
  g_return_val_if_fail (FL_IS_CARD_RESULT (self), NULL);
  return self->code;
}

/**
 * fl_card_result_get_fax:
 *
 * Returns: (nullable): the fax number; the lead keeps it in its notes, as
 *   leads have no fax field
 */
const char *
fl_card_result_get_fax (FlCardResult *self)
{
  g_return_val_if_fail (FL_IS_CARD_RESULT (self), NULL);
  return self->fax;
}

/**
 * fl_card_result_get_confidence:
 * @key: a lead JSON key ("email", "phone"…) or "note" for the fax
 *
 * Returns: how sure the reader is of that field, 0..1; 0 when not found
 */
double
fl_card_result_get_confidence (FlCardResult *self, const char *key)
{
  g_return_val_if_fail (FL_IS_CARD_RESULT (self), 0.0);
  g_return_val_if_fail (key != NULL, 0.0);

  return json_object_get_double_member_with_default (self->confidences, key, 0.0);
}

/**
 * fl_card_result_get_confidences:
 *
 * Returns: (transfer full): a JSON object, field key → confidence 0..1
 */
JsonNode *
fl_card_result_get_confidences (FlCardResult *self)
{
  JsonNode *node;

  g_return_val_if_fail (FL_IS_CARD_RESULT (self), NULL);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, self->confidences);
  return node;
}

/**
 * fl_card_result_get_n_found:
 *
 * Returns: how many fields were found (0: nothing on the card was usable)
 */
guint
fl_card_result_get_n_found (FlCardResult *self)
{
  g_return_val_if_fail (FL_IS_CARD_RESULT (self), 0);
  return json_object_get_size (self->confidences);
}

double
fl_card_result_get_prepare_ms (FlCardResult *self)
{
  g_return_val_if_fail (FL_IS_CARD_RESULT (self), 0.0);
  return self->prepare_ms;
}

double
fl_card_result_get_recognize_ms (FlCardResult *self)
{
  g_return_val_if_fail (FL_IS_CARD_RESULT (self), 0.0);
  return self->recognize_ms;
}

/**
 * fl_card_result_get_skew:
 *
 * Returns: the rotation corrected before recognition, in degrees
 */
double
fl_card_result_get_skew (FlCardResult *self)
{
  g_return_val_if_fail (FL_IS_CARD_RESULT (self), 0.0);
  return self->skew;
}

static double
clamp_confidence (double confidence)
{
  return round (CLAMP (confidence, 0.0, 1.0) * 100.0) / 100.0;
}

/**
 * fl_card_result_set_field:
 * @value: (nullable): the value, %NULL or "" to unset
 */
void
fl_card_result_set_field (FlCardResult *self, FlField field, const char *value,
                          double confidence)
{
  g_return_if_fail (FL_IS_CARD_RESULT (self));
  g_return_if_fail (field < FL_N_FIELDS);

  fl_card_result_set_field_from (self, field, value, confidence, FL_CARD_FROM_PRINT);
}

/**
 * fl_card_result_set_field_from:
 * @from: where the value was read: %FL_CARD_FROM_CODE (the QR code on the
 *   card), %FL_CARD_FROM_PRINT (the printed text) or %FL_CARD_FROM_GUESS
 *   (guessed, e.g. a company from the email's domain)
 *
 * Like fl_card_result_set_field(), and records where the value came from.
 */
void
fl_card_result_set_field_from (FlCardResult *self, FlField field, const char *value,
                               double confidence, const char *from)
{
  const char *key;

  g_return_if_fail (FL_IS_CARD_RESULT (self));
  g_return_if_fail (field < FL_N_FIELDS);
  g_return_if_fail (from != NULL);

  key = fl_field_to_string (field);
  fl_lead_set_field (self->lead, field, value);
  if (fl_lead_get_field (self->lead, field) != NULL)
    {
      json_object_set_double_member (self->confidences, key, clamp_confidence (confidence));
      json_object_set_string_member (self->sources, key, from);
    }
  else
    {
      if (json_object_has_member (self->confidences, key))
        json_object_remove_member (self->confidences, key);
      if (json_object_has_member (self->sources, key))
        json_object_remove_member (self->sources, key);
    }
}

/**
 * fl_card_result_get_field_source:
 * @key: a field's JSON key, or "note"
 *
 * Returns: (nullable): %FL_CARD_FROM_CODE, %FL_CARD_FROM_PRINT or
 *   %FL_CARD_FROM_GUESS; %NULL when the field was not found
 */
const char *
fl_card_result_get_field_source (FlCardResult *self, const char *key)
{
  g_return_val_if_fail (FL_IS_CARD_RESULT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return json_object_get_string_member_with_default (self->sources, key, NULL);
}

/**
 * fl_card_result_set_fax:
 *
 * Leads have no fax field: the number goes to the notes as "Fax: …", and
 * its confidence under the key "note".
 */
void
fl_card_result_set_fax (FlCardResult *self, const char *fax, double confidence)
{
  g_return_if_fail (FL_IS_CARD_RESULT (self));

  g_clear_pointer (&self->fax, g_free);
  if (fax == NULL || fax[0] == '\0')
    {
      fl_lead_set_notes (self->lead, NULL);
      if (json_object_has_member (self->confidences, "note"))
        json_object_remove_member (self->confidences, "note");
      if (json_object_has_member (self->sources, "note"))
        json_object_remove_member (self->sources, "note");
      return;
    }
  {
    g_autofree char *note = g_strdup_printf ("Fax: %s", fax);

    self->fax = g_strdup (fax);
    fl_lead_set_notes (self->lead, note);
    json_object_set_double_member (self->confidences, "note", clamp_confidence (confidence));
    json_object_set_string_member (self->sources, "note", FL_CARD_FROM_PRINT);
  }
}

/**
 * fl_card_result_set_note:
 * @note: (nullable): the lead's note as a whole
 *
 * Sets the note without touching the fax number read (for a note that
 * joins the code's note and the printed fax).
 */
void
fl_card_result_set_note (FlCardResult *self, const char *note, double confidence,
                         const char *from)
{
  g_return_if_fail (FL_IS_CARD_RESULT (self));
  g_return_if_fail (from != NULL);

  fl_lead_set_notes (self->lead, note);
  if (fl_lead_get_notes (self->lead) != NULL)
    {
      json_object_set_double_member (self->confidences, "note", clamp_confidence (confidence));
      json_object_set_string_member (self->sources, "note", from);
    }
}

/**
 * fl_card_result_set_card_image:
 * @pixels: @height rows of @stride bytes, 8 bpp grey
 *
 * Keeps the card as it was found in the photo: cropped and straightened.
 */
void
fl_card_result_set_card_image (FlCardResult *self, GBytes *pixels, guint width, guint height,
                               gsize stride)
{
  g_return_if_fail (FL_IS_CARD_RESULT (self));
  g_return_if_fail (pixels == NULL || g_bytes_get_size (pixels) >= stride * height);

  g_clear_pointer (&self->card_image, g_bytes_unref);
  if (pixels != NULL)
    self->card_image = g_bytes_ref (pixels);
  self->card_width = width;
  self->card_height = height;
  self->card_stride = stride;
}

/**
 * fl_card_result_get_card_image:
 * @width: (out) (optional):
 * @height: (out) (optional):
 * @stride: (out) (optional):
 *
 * Returns: (transfer none) (nullable): the card found in the photo,
 *   cropped and straightened, 8 bpp grey; %NULL when the photo was read
 *   whole (no card stood out from the background)
 */
GBytes *
fl_card_result_get_card_image (FlCardResult *self, guint *width, guint *height, gsize *stride)
{
  g_return_val_if_fail (FL_IS_CARD_RESULT (self), NULL);

  if (width != NULL)
    *width = self->card_width;
  if (height != NULL)
    *height = self->card_height;
  if (stride != NULL)
    *stride = self->card_stride;
  return self->card_image;
}

/**
 * fl_card_result_set_card_color:
 * @pixels: @height rows of @stride bytes, 8-bit R G B
 *
 * Keeps the card as it was found in the photo, cropped and straightened
 * like the grey image, in colour and at a size for the screen: what
 * staff see beside the form.
 */
void
fl_card_result_set_card_color (FlCardResult *self, GBytes *pixels, guint width, guint height,
                               gsize stride)
{
  g_return_if_fail (FL_IS_CARD_RESULT (self));
  g_return_if_fail (pixels == NULL || (stride >= (gsize) width * 3 &&
                                       g_bytes_get_size (pixels) >= stride * height));

  g_clear_pointer (&self->card_color, g_bytes_unref);
  if (pixels != NULL)
    self->card_color = g_bytes_ref (pixels);
  self->color_width = width;
  self->color_height = height;
  self->color_stride = stride;
}

/**
 * fl_card_result_get_card_color:
 * @width: (out) (optional):
 * @height: (out) (optional):
 * @stride: (out) (optional):
 *
 * Returns: (transfer none) (nullable): the card found in the photo,
 *   cropped and straightened, 8-bit R G B; %NULL when the photo was read
 *   whole or was grey
 */
GBytes *
fl_card_result_get_card_color (FlCardResult *self, guint *width, guint *height, gsize *stride)
{
  g_return_val_if_fail (FL_IS_CARD_RESULT (self), NULL);

  if (width != NULL)
    *width = self->color_width;
  if (height != NULL)
    *height = self->color_height;
  if (stride != NULL)
    *stride = self->color_stride;
  return self->card_color;
}

/**
 * fl_card_result_set_lines:
 *
 * Keeps the recognised lines; they also become the lead's raw payload, so
 * what the camera saw is never lost whatever the fields say.
 */
void
fl_card_result_set_lines (FlCardResult *self, const char * const *lines)
{
  g_autofree char *payload = NULL;

  g_return_if_fail (FL_IS_CARD_RESULT (self));

  g_strfreev (self->lines);
  self->lines = lines ? g_strdupv ((char **) lines) : g_new0 (char *, 1);
  payload = g_strjoinv ("\n", self->lines);
  fl_lead_set_raw_payload (self->lead, payload);
}

void
fl_card_result_set_code (FlCardResult *self, const char *code)
{
  g_return_if_fail (FL_IS_CARD_RESULT (self));

  g_free (self->code);
  self->code = g_strdup (code);
}

void
fl_card_result_set_timing (FlCardResult *self, double prepare_ms, double recognize_ms,
                           double skew_degrees)
{
  g_return_if_fail (FL_IS_CARD_RESULT (self));

  self->prepare_ms = prepare_ms;
  self->recognize_ms = recognize_ms;
  self->skew = skew_degrees;
}

/**
 * fl_card_result_to_json:
 *
 * The object `fairlead-cli read-card` prints: "source", the contact keys of
 * the badge parser that were found (person fields and "note"), "confidence"
 * (key → 0..1) and "text" (the recognised lines); "code" instead when the
 * card carried a QR code or barcode.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
fl_card_result_to_json (FlCardResult *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (FL_IS_CARD_RESULT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder,
                                 fl_source_to_string (fl_lead_get_source (self->lead)));
  if (self->code != NULL)
    {
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, self->code);
    }
  for (guint i = 0; i < FL_N_FIELDS; i++)
    {
      const char *value = fl_lead_get_field (self->lead, i);

      if (value == NULL)
        continue;
      json_builder_set_member_name (builder, fl_field_to_string (i));
      json_builder_add_string_value (builder, value);
    }
  if (fl_lead_get_notes (self->lead) != NULL)
    {
      json_builder_set_member_name (builder, "note");
      json_builder_add_string_value (builder, fl_lead_get_notes (self->lead));
    }
  json_builder_set_member_name (builder, "confidence");
  json_builder_add_value (builder, fl_card_result_get_confidences (self));
  /* Where each field was read: the code on the card, its print, or a
   * guess (always with a low confidence). */
  json_builder_set_member_name (builder, "from");
  {
    JsonNode *sources = json_node_new (JSON_NODE_OBJECT);

    json_node_set_object (sources, self->sources);
    json_builder_add_value (builder, sources);
  }
  json_builder_set_member_name (builder, "text");
  json_builder_begin_array (builder);
  for (guint i = 0; self->lines[i] != NULL; i++)
    json_builder_add_string_value (builder, self->lines[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
append_json_string (GString *out, const char *value)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *text = NULL;

  json_node_set_string (node, value);
  text = json_to_string (node, FALSE);
  g_string_append (out, text);
}

/**
 * fl_card_result_to_json_string:
 *
 * fl_card_result_to_json() as text, with confidences printed to two
 * decimals (json-glib would print 0.34 as 0.34000000000000002).
 *
 * Returns: (transfer full): one JSON object, on one line unless @pretty
 */
char *
fl_card_result_to_json_string (FlCardResult *self, gboolean pretty)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GString) out = g_string_new ("{");
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  const char *indent = pretty ? "\n  " : "";
  const char *colon = pretty ? " : " : ":";
  gboolean first = TRUE;

  g_return_val_if_fail (FL_IS_CARD_RESULT (self), NULL);

  node = fl_card_result_to_json (self);
  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *member = json_object_get_member (object, key);

      g_string_append_printf (out, "%s%s", first ? "" : ",", indent);
      first = FALSE;
      append_json_string (out, key);
      g_string_append (out, colon);
      if (strcmp (key, "confidence") == 0)
        {
          g_autoptr(GList) fields = json_object_get_members (json_node_get_object (member));

          g_string_append_c (out, '{');
          for (GList *f = fields; f != NULL; f = f->next)
            {
              char number[G_ASCII_DTOSTR_BUF_SIZE];

              g_string_append_printf (out, "%s%s", f == fields ? "" : ",", pretty ? "\n    " : "");
              append_json_string (out, f->data);
              g_ascii_formatd (number, sizeof number, "%.2f",
                               json_object_get_double_member (json_node_get_object (member), f->data));
              g_string_append_printf (out, "%s%s", colon, number);
            }
          g_string_append_printf (out, "%s}", pretty && fields ? "\n  " : "");
        }
      else if (JSON_NODE_HOLDS_ARRAY (member) && pretty)
        {
          JsonArray *array = json_node_get_array (member);
          guint n = json_array_get_length (array);

          g_string_append_c (out, '[');
          for (guint i = 0; i < n; i++)
            {
              g_string_append_printf (out, "%s\n    ", i ? "," : "");
              append_json_string (out, json_array_get_string_element (array, i));
            }
          g_string_append (out, n ? "\n  ]" : "]");
        }
      else
        {
          g_autofree char *text = json_to_string (member, FALSE);
          g_string_append (out, text);
        }
    }
  g_string_append (out, pretty ? "\n}" : "}");
  return g_string_free (g_steal_pointer (&out), FALSE);
}
