/* fl-card-reader.c: business cards without a QR code, read on the device
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-card"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <tesseract/capi.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "fl-card-fields.h"
#include "fl-card-find.h"
#include "fl-card-reader.h"
#include "fl-decoder.h"
#include "lead/fl-payload.h"

/* German and English together: German cards carry English job titles and
 * the other way round, and "deu" alone misreads English words. */
#define LANGUAGES "deu+eng"

/* Words further apart than this many word heights are separate lines:
 * word spaces are a third of that, columns far more. */
#define GAP_FACTOR 1.2

/* The width a card found in a photo is straightened to: about 300 dpi
 * for 85 mm, what Tesseract reads best; more pixels only cost time. */
#define CARD_WIDTH 1000

/* The width the same card is straightened to in colour, to be shown:
 * twice what the kiosk's picture beside the form is wide, so it stays
 * sharp on a HiDPI screen. */
#define CARD_SHOWN_WIDTH 880

/* The least height of a barcode's bars on a card, in millimetres: the
 * look for a code before ZBar (fl_code_hint_present_full()) takes nothing
 * shorter for bars. Printed barcodes are 6 mm tall and more (EAN-13 at
 * its smallest, 80 %, is 18 mm; Code 128 on a badge about 8–15 mm); the
 * vertical strokes of printed text repeat from row to row over at most
 * 3.4 mm (DejaVu Sans and Serif, regular and bold, 6 to 32 pt, English and
 * German text, measured at 300 dpi). */
#define CARD_BAR_MM 5.0

/* The width of a business card, in millimetres. */
#define CARD_WIDTH_MM 85.0

/* The photo in colour, when the reader was given one. */
typedef struct
{
  const guint8 *pixels;   /* R G B A */
  guint         width;
  guint         height;
  gsize         stride;
} ColorPhoto;

struct _FlCardReader
{
  GObject             parent_instance;

  /* Tesseract is not reentrant: one engine, created once, used by one
   * thread at a time. The lock also serialises the decode function. */
  GMutex              lock;
  TessBaseAPI        *engine;
  FlCardPrepareSteps  steps;

  FlCardDecodeFunc    decode_func;
  gpointer            decode_data;
  GDestroyNotify      decode_destroy;

  /* Whether the image being decoded is the card found and straightened to
   * CARD_WIDTH, not the photo as it came: read under the lock. */
  gboolean            decoding_card;
};

/* The decode function of fl_card_reader_decode_codes_with(). */
typedef struct
{
  FlDecoder    *decoder;
  FlCardReader *reader;   /* unowned: it owns this */
} CodesFirst;

typedef struct
{
  char              *path;
  GBytes            *pixels;
  guint              width;
  guint              height;
  gsize              stride;
  FlCardPixelFormat  format;
} ReadJob;

G_DEFINE_FINAL_TYPE (FlCardReader, fl_card_reader, G_TYPE_OBJECT)

static void
read_job_free (ReadJob *job)
{
  g_free (job->path);
  g_clear_pointer (&job->pixels, g_bytes_unref);
  g_free (job);
}

static void
engine_free (TessBaseAPI *engine)
{
  TessBaseAPIEnd (engine);
  TessBaseAPIDelete (engine);
}

/* Tesseract's OpenMP threads cost more than they bring on the kiosk's two
 * cores (measured: a card takes three times as long, most of it spinning
 * in the kernel). OMP_THREAD_LIMIT=1 is read by libgomp when the program
 * starts, so setting it here would change nothing: with it unset, the same
 * limit is applied through the OpenMP API instead — no parallel region
 * gets a second thread. A limit the user set is left alone. */
static void
limit_threads (void)
{
#ifdef _OPENMP
  if (g_getenv ("OMP_THREAD_LIMIT") == NULL)
    omp_set_max_active_levels (0);
#endif
}

static gboolean
ensure_engine_locked (FlCardReader *self, GError **error)
{
  TessBaseAPI *engine;

  if (self->engine != NULL)
    return TRUE;

  engine = TessBaseAPICreate ();
  /* NULL: the data path compiled into Tesseract, or $TESSDATA_PREFIX. */
  limit_threads ();
  if (TessBaseAPIInit2 (engine, NULL, LANGUAGES, OEM_LSTM_ONLY) != 0)
    {
      TessBaseAPIDelete (engine);
      g_set_error_literal (error, FL_CARD_ERROR, FL_CARD_ERROR_ENGINE,
                           _("The text recognition data for German and English is missing; "
                             "install the Tesseract language packages (tesseract-ocr-deu and "
                             "tesseract-ocr-eng) or point TESSDATA_PREFIX at their folder"));
      return FALSE;
    }
  /* Tesseract writes notes ("Estimating resolution…") to stderr otherwise. */
  TessBaseAPISetVariable (engine, "debug_file", "/dev/null");
  TessBaseAPISetPageSegMode (engine, PSM_AUTO);
  self->engine = engine;
  return TRUE;
}

static bool
engine_cancel_cb (void *cancel_this, int words)
{
  return g_cancellable_is_cancelled (G_CANCELLABLE (cancel_this));
}

static void
line_free (FlCardLine *line)
{
  g_free ((char *) line->text);
}

static void
add_line (GArray *lines, GString *text, double confidence, int height)
{
  FlCardLine line;
  char *clean = g_strstrip (g_strdup (text->str));

  if (clean[0] == '\0')
    {
      g_free (clean);
      return;
    }
  line.text = clean;
  line.confidence = CLAMP (confidence, 0.0, 1.0);
  line.height = MAX (0, height);
  g_array_append_val (lines, line);
}

/* Recognises @prepared and returns its text lines, top to bottom as
 * Tesseract's layout analysis orders them. */
static GArray *
recognize_locked (FlCardReader *self, PIX *prepared, GCancellable *cancellable, GError **error)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (FlCardLine));
  ETEXT_DESC *monitor = NULL;
  TessResultIterator *iterator;
  int status;

  g_array_set_clear_func (lines, (GDestroyNotify) line_free);

  TessBaseAPISetImage2 (self->engine, prepared);
  /* The resolution only guides Tesseract's size filters; what matters is
   * the glyph height, which preparation has seen to. */
  TessBaseAPISetSourceResolution (self->engine, 300);
  if (cancellable != NULL)
    {
      monitor = TessMonitorCreate ();
      TessMonitorSetCancelFunc (monitor, engine_cancel_cb);
      TessMonitorSetCancelThis (monitor, cancellable);
    }
  limit_threads ();
  status = TessBaseAPIRecognize (self->engine, monitor);
  g_clear_pointer (&monitor, TessMonitorDelete);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      TessBaseAPIClear (self->engine);
      return NULL;
    }
  if (status != 0)
    {
      TessBaseAPIClear (self->engine);
      g_set_error_literal (error, FL_CARD_ERROR, FL_CARD_ERROR_RECOGNIZE,
                           _("Text recognition failed on this picture; take it again"));
      return NULL;
    }

  iterator = TessBaseAPIGetIterator (self->engine);
  if (iterator != NULL)
    {
      const TessPageIterator *page = TessResultIteratorGetPageIteratorConst (iterator);
      g_autoptr(GString) text = g_string_new (NULL);
      double confidence_sum = 0;
      guint n_words = 0;
      int last_right = 0, top = 0, bottom = 0;

      /* Words, not Tesseract's lines: a name on the left and a company on
       * the right of the same row come back as one line, and only the gap
       * between the words tells them apart. */
      do
        {
          char *word = TessResultIteratorGetUTF8Text (iterator, RIL_WORD);
          int x1 = 0, y1 = 0, x2 = 0, y2 = 0;
          gboolean new_line;

          if (word == NULL)
            continue;
          if (!g_utf8_validate (word, -1, NULL) || word[0] == '\0')
            {
              TessDeleteText (word);
              continue;
            }
          TessPageIteratorBoundingBox (page, RIL_WORD, &x1, &y1, &x2, &y2);
          new_line = n_words == 0 ||
                     TessPageIteratorIsAtBeginningOf (page, RIL_TEXTLINE) ||
                     x1 - last_right > MAX (y2 - y1, bottom - top) * GAP_FACTOR;
          if (new_line && n_words > 0)
            add_line (lines, text, confidence_sum / n_words, bottom - top);
          if (new_line)
            {
              g_string_truncate (text, 0);
              confidence_sum = 0;
              n_words = 0;
              top = y1;
              bottom = y2;
            }
          if (text->len > 0)
            g_string_append_c (text, ' ');
          g_string_append (text, word);
          TessDeleteText (word);
          confidence_sum += TessResultIteratorConfidence (iterator, RIL_WORD) / 100.0;
          n_words++;
          top = MIN (top, y1);
          bottom = MAX (bottom, y2);
          last_right = x2;
        }
      while (TessResultIteratorNext (iterator, RIL_WORD));
      if (n_words > 0)
        add_line (lines, text, confidence_sum / n_words, bottom - top);
      TessResultIteratorDelete (iterator);
    }
  TessBaseAPIClear (self->engine);
  return g_steal_pointer (&lines);
}

static void
fl_card_reader_finalize (GObject *object)
{
  FlCardReader *self = FL_CARD_READER (object);

  g_clear_pointer (&self->engine, engine_free);
  if (self->decode_destroy != NULL)
    self->decode_destroy (self->decode_data);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (fl_card_reader_parent_class)->finalize (object);
}

static void
fl_card_reader_class_init (FlCardReaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fl_card_reader_finalize;
}

static void
fl_card_reader_init (FlCardReader *self)
{
  g_mutex_init (&self->lock);
  self->steps = FL_CARD_PREPARE_DEFAULT;
}

/**
 * fl_card_reader_new:
 *
 * The engine is loaded on first use (about half a second), on the thread
 * that reads; call fl_card_reader_load() ahead to pay that early.
 *
 * Returns: (transfer full): a new reader; keep one for the program's life
 */
FlCardReader *
fl_card_reader_new (void)
{
  return g_object_new (FL_TYPE_CARD_READER, NULL);
}

const char *
fl_card_reader_get_languages (FlCardReader *self)
{
  g_return_val_if_fail (FL_IS_CARD_READER (self), NULL);
  return LANGUAGES;
}

FlCardPrepareSteps
fl_card_reader_get_steps (FlCardReader *self)
{
  FlCardPrepareSteps steps;

  g_return_val_if_fail (FL_IS_CARD_READER (self), FL_CARD_PREPARE_DEFAULT);

  g_mutex_lock (&self->lock);
  steps = self->steps;
  g_mutex_unlock (&self->lock);
  return steps;
}

/**
 * fl_card_reader_set_steps:
 *
 * Chooses the preparation steps; the default, %FL_CARD_PREPARE_DEFAULT, is
 * what measured best. For benchmarks and experiments.
 */
void
fl_card_reader_set_steps (FlCardReader *self, FlCardPrepareSteps steps)
{
  g_return_if_fail (FL_IS_CARD_READER (self));

  g_mutex_lock (&self->lock);
  self->steps = steps & FL_CARD_PREPARE_ALL;
  g_mutex_unlock (&self->lock);
}

/**
 * fl_card_reader_set_decode_func:
 * @func: (nullable): looks for a QR code or barcode first
 *
 * A card that carries a code is decoded and read: when @func returns a
 * payload, the result holds it (fl_card_result_get_code()), its fields win
 * and the printed text fills in the fields the code lacks. @func runs on a
 * thread of its own while the text is recognised, one call at a time.
 */
void
fl_card_reader_set_decode_func (FlCardReader *self, FlCardDecodeFunc func, gpointer user_data,
                                GDestroyNotify destroy)
{
  GDestroyNotify old_destroy;
  gpointer old_data;

  g_return_if_fail (FL_IS_CARD_READER (self));

  g_mutex_lock (&self->lock);
  old_destroy = self->decode_destroy;
  old_data = self->decode_data;
  self->decode_func = func;
  self->decode_data = user_data;
  self->decode_destroy = destroy;
  g_mutex_unlock (&self->lock);
  if (old_destroy != NULL)
    old_destroy (old_data);
}

/**
 * fl_card_reader_load:
 *
 * Loads Tesseract and its German and English data now. Blocks; call it
 * from a worker thread.
 *
 * Returns: %FALSE with %FL_CARD_ERROR_ENGINE when they cannot be loaded
 */
gboolean
fl_card_reader_load (FlCardReader *self, GError **error)
{
  gboolean loaded;

  g_return_val_if_fail (FL_IS_CARD_READER (self), FALSE);

  g_mutex_lock (&self->lock);
  loaded = ensure_engine_locked (self, error);
  g_mutex_unlock (&self->lock);
  return loaded;
}

/* A code on the card and its print, field by field: the code wins where
 * it has the field (it is read exactly), the print fills the rest — a
 * vCard with only name and email leaves the printed phone, title and
 * address standing. The note joins the code's note and a printed fax. */
static void
merge_code (FlCardResult *result, const char *code)
{
  FlLead *lead = fl_card_result_get_lead (result);
  g_autoptr(FlPayloadResult) parsed = fl_payload_parse (code, -1, NULL, NULL);

  fl_card_result_set_code (result, code);
  if (parsed != NULL)
    {
      const char *code_note = fl_lead_get_notes (parsed->lead);
      const char *fax = fl_card_result_get_fax (result);
      gboolean code_names = FALSE;

      for (guint i = 0; i < FL_N_FIELDS; i++)
        {
          const char *value = fl_lead_get_field (parsed->lead, i);

          if (value == NULL || value[0] == '\0')
            continue;
          fl_card_result_set_field_from (result, i, value, 1.0, FL_CARD_FROM_CODE);
          code_names |= i == FL_FIELD_FIRST_NAME || i == FL_FIELD_LAST_NAME ||
                        i == FL_FIELD_FULL_NAME;
        }
      /* One person: a name from the code replaces every printed name part,
       * so the code's "Anna Schäfer" is not paired with a printed surname
       * read wrong. */
      if (code_names)
        {
          FlField names[] = { FL_FIELD_FIRST_NAME, FL_FIELD_LAST_NAME, FL_FIELD_FULL_NAME };

          for (guint i = 0; i < G_N_ELEMENTS (names); i++)
            if (fl_lead_get_field (parsed->lead, names[i]) == NULL &&
                g_strcmp0 (fl_card_result_get_field_source (result, fl_field_to_string (names[i])),
                           FL_CARD_FROM_PRINT) == 0)
              fl_card_result_set_field (result, names[i], NULL, 0);
        }
      fl_lead_set_badge_id (lead, fl_lead_get_badge_id (parsed->lead));
      if (code_note != NULL && code_note[0] != '\0')
        {
          g_autofree char *note = NULL;

          if (fax != NULL && strstr (code_note, fax) == NULL)
            note = g_strdup_printf ("%s\nFax: %s", code_note, fax);
          else
            note = g_strdup (code_note);
          fl_card_result_set_note (result, note, 1.0, FL_CARD_FROM_CODE);
        }
    }
  fl_lead_set_source (lead, FL_SOURCE_CARD_QR);
  /* The code is the payload; the printed lines stay in the result's text. */
  fl_lead_set_raw_payload (lead, code);
}

static FlCardResult *read_pix (FlCardReader *self, PIX *grey, const ColorPhoto *color,
                               GCancellable *cancellable, GError **error);

/* A look for a code on the card, on a thread of its own beside the OCR:
 * Tesseract keeps to one core (limit_threads()), the kiosk has two, and the
 * two do not depend on each other until the code is merged. */
typedef struct
{
  FlCardReader *reader;
  guint8       *pixels;
  guint         width;
  guint         height;
  gsize         stride;
  GThread      *thread;  /* NULL: decoded on the reading thread */
  char         *code;
} DecodeJob;

static gpointer
decode_thread (gpointer data)
{
  DecodeJob *job = data;

  job->code = job->reader->decode_func (job->pixels, job->width, job->height, job->stride,
                                        job->reader->decode_data);
  return NULL;
}

/* Called with the reader's lock held; the lock stays held until
 * decode_finish(), which serialises the decode function. */
static void
decode_start (FlCardReader *self, DecodeJob *job, PIX *card, gboolean found)
{
  job->reader = self;
  job->pixels = fl_card_pix_to_grey (card, &job->stride);
  job->width = pixGetWidth (card);
  job->height = pixGetHeight (card);
  self->decoding_card = found;
  job->thread = g_thread_try_new ("fl-card-decode", decode_thread, job, NULL);
  if (job->thread == NULL)
    decode_thread (job);
}

static char *
decode_finish (FlCardReader *self, DecodeJob *job)
{
  if (job->thread != NULL)
    g_thread_join (g_steal_pointer (&job->thread));
  self->decoding_card = FALSE;
  g_clear_pointer (&job->pixels, g_free);
  return g_steal_pointer (&job->code);
}

/**
 * fl_card_reader_read_pix:
 * @grey: the card in 8 bpp grey
 *
 * Decodes a code on the card if there is a decode function and a code,
 * prepares the image, recognises its text and extracts the fields; a
 * code's fields win over printed ones (see fl_card_result_get_field_source()).
 * When the text cannot be recognised but a code was read, the result
 * holds the code's fields alone. Blocks for about a second: call it off the main thread.
 *
 * Returns: (transfer full): the result, or %NULL with an error
 */
FlCardResult *
fl_card_reader_read_pix (FlCardReader *self, PIX *grey, GCancellable *cancellable,
                         GError **error)
{
  return read_pix (self, grey, NULL, cancellable, error);
}

/* The straightened card in colour, R G B rows, for the result. */
static void
keep_card_color (FlCardResult *result, const ColorPhoto *color, const FlCardQuad *quad)
{
  g_autoptr(PIX) card = fl_card_straighten_rgba (color->pixels, color->width, color->height,
                                                 color->stride, quad, CARD_SHOWN_WIDTH);
  g_autoptr(GBytes) bytes = NULL;
  guint8 *rgb;
  l_uint32 *data;
  l_int32 width, height, wpl;
  gsize stride;

  if (card == NULL)
    return;
  width = pixGetWidth (card);
  height = pixGetHeight (card);
  wpl = pixGetWpl (card);
  data = pixGetData (card);
  stride = ((gsize) width * 3 + 3) & ~(gsize) 3;
  rgb = g_malloc0 (stride * height);
  for (l_int32 y = 0; y < height; y++)
    for (l_int32 x = 0; x < width; x++)
      {
        l_int32 r, g, b;

        extractRGBValues (data[(gsize) y * wpl + x], &r, &g, &b);
        rgb[y * stride + x * 3] = (guint8) r;
        rgb[y * stride + x * 3 + 1] = (guint8) g;
        rgb[y * stride + x * 3 + 2] = (guint8) b;
      }
  bytes = g_bytes_new_take (rgb, stride * height);
  fl_card_result_set_card_color (result, bytes, (guint) width, (guint) height, stride);
}

/* fl_card_reader_read_pix(), with the photo in colour when there is one:
 * the card found is then also kept in colour, to be shown. */
static FlCardResult *
read_pix (FlCardReader *self, PIX *grey, const ColorPhoto *color, GCancellable *cancellable,
          GError **error)
{
  g_autoptr(FlCardResult) result = NULL;
  g_autoptr(GArray) lines = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(PIX) prepared = NULL;
  g_autoptr(GError) ocr_error = NULL;
  g_autofree char *code = NULL;
  g_autoptr(PIX) card = NULL;
  FlCardPrepareInfo info = { 0 };
  DecodeJob decode = { NULL };
  gboolean decoding = FALSE;
  gint64 started, prepared_at;

  g_return_val_if_fail (FL_IS_CARD_READER (self), NULL);
  g_return_val_if_fail (grey != NULL && pixGetDepth (grey) == 8, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  result = fl_card_result_new ();
  g_mutex_lock (&self->lock);
  started = g_get_monotonic_time ();

  /* A photo shows the card on a desk: find it, straighten it and bring it
   * to about 300 dpi before anything else reads it. */
  if (self->steps & FL_CARD_PREPARE_FIND_CARD)
    {
      FlCardQuad quad;

      if (fl_card_find (grey, &quad))
        card = fl_card_straighten (grey, &quad, CARD_WIDTH, NULL);
      if (card != NULL && color != NULL)
        keep_card_color (result, color, &quad);
    }
  if (card == NULL)
    card = pixClone (grey);  /* the same PIX: not a card found */
  else
    {
      gsize stride = 0;
      g_autofree guint8 *pixels = fl_card_pix_to_grey (card, &stride);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&pixels),
                                                  stride * pixGetHeight (card));

      fl_card_result_set_card_image (result, bytes, pixGetWidth (card), pixGetHeight (card), stride);
    }

  /* The code is looked for while the text is recognised. */
  if (self->decode_func != NULL)
    {
      decode_start (self, &decode, card, card != grey);
      decoding = TRUE;
    }

  if (!ensure_engine_locked (self, &ocr_error))
    {
      if (decoding)
        code = decode_finish (self, &decode);
      g_mutex_unlock (&self->lock);
      if (code == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&ocr_error));
          return NULL;
        }
      /* The code alone is still a lead: never lose it to the OCR. */
      g_debug ("Card read by its code only: %s", ocr_error->message);
      merge_code (result, code);
      return g_steal_pointer (&result);
    }
  prepared = fl_card_prepare (card, self->steps, &info);
  prepared_at = g_get_monotonic_time ();
  if (prepared != NULL)
    lines = recognize_locked (self, prepared, cancellable, &ocr_error);
  else
    g_set_error_literal (&ocr_error, FL_CARD_ERROR, FL_CARD_ERROR_RECOGNIZE,
                         _("The picture could not be prepared for text recognition; take it again"));
  if (decoding)
    code = decode_finish (self, &decode);
  g_mutex_unlock (&self->lock);
  if (lines == NULL)
    {
      if (code == NULL || g_error_matches (ocr_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&ocr_error));
          return NULL;
        }
      merge_code (result, code);
      return g_steal_pointer (&result);
    }

  texts = g_ptr_array_new ();
  for (guint i = 0; i < lines->len; i++)
    g_ptr_array_add (texts, (gpointer) g_array_index (lines, FlCardLine, i).text);
  g_ptr_array_add (texts, NULL);
  fl_card_result_set_lines (result, (const char * const *) texts->pdata);
  fl_card_fields_extract (result, (const FlCardLine *) (gpointer) lines->data, lines->len);
  fl_card_result_set_timing (result, (prepared_at - started) / 1000.0,
                             (g_get_monotonic_time () - prepared_at) / 1000.0, info.skew_degrees);
  if (code != NULL)
    merge_code (result, code);
  return g_steal_pointer (&result);
}

/**
 * fl_card_reader_read_file:
 * @path: a PNG or JPEG photo of a card
 *
 * Like fl_card_reader_read_pix(), from a file. Blocks.
 *
 * Returns: (transfer full): the result, or %NULL with %FL_CARD_ERROR_READ,
 *   %FL_CARD_ERROR_NOT_IMAGE, %FL_CARD_ERROR_ENGINE…
 */
FlCardResult *
fl_card_reader_read_file (FlCardReader *self, const char *path, GCancellable *cancellable,
                          GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(PIX) grey = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_return_val_if_fail (FL_IS_CARD_READER (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, FL_CARD_ERROR, FL_CARD_ERROR_READ, _("Cannot read “%s”: %s"), path,
                   local_error->message);
      return NULL;
    }
  data = g_bytes_new_take (g_steal_pointer (&contents), length);
  grey = fl_card_pix_new_from_data (data, &local_error);
  if (grey == NULL)
    {
      g_set_error (error, FL_CARD_ERROR, local_error->code, "%s: %s", path, local_error->message);
      return NULL;
    }
  return fl_card_reader_read_pix (self, grey, cancellable, error);
}

/**
 * fl_card_reader_read_pixels:
 * @pixels: @height rows of @stride bytes, grey or RGBA (a camera still)
 *
 * Like fl_card_reader_read_pix(), from a pixel buffer. Blocks. From RGBA,
 * the card found in the photo is also kept in colour, at a size to show
 * (fl_card_result_get_card_color()).
 *
 * Returns: (transfer full): the result, or %NULL with an error
 */
FlCardResult *
fl_card_reader_read_pixels (FlCardReader *self, GBytes *pixels, guint width, guint height,
                            gsize stride, FlCardPixelFormat format, GCancellable *cancellable,
                            GError **error)
{
  g_autoptr(PIX) grey = NULL;
  const guint8 *data;
  gsize size;

  g_return_val_if_fail (FL_IS_CARD_READER (self), NULL);
  g_return_val_if_fail (pixels != NULL, NULL);

  data = g_bytes_get_data (pixels, &size);
  if (height > 0 && (stride == 0 || size / stride < height))
    {
      g_set_error (error, FL_CARD_ERROR, FL_CARD_ERROR_INVALID,
                   _("The picture is not usable (%u × %u pixels, %zu bytes a row); take it again"),
                   width, height, stride);
      return NULL;
    }
  grey = fl_card_pix_new_from_pixels (data, width, height, stride, format, error);
  if (grey == NULL)
    return NULL;
  if (format == FL_CARD_PIXELS_RGBA8)
    {
      ColorPhoto color = { data, width, height, stride };

      return read_pix (self, grey, &color, cancellable, error);
    }
  return fl_card_reader_read_pix (self, grey, cancellable, error);
}

static void
read_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  FlCardReader *self = source_object;
  ReadJob *job = task_data;
  g_autoptr(GError) error = NULL;
  FlCardResult *result;

  if (job->path != NULL)
    result = fl_card_reader_read_file (self, job->path, cancellable, &error);
  else
    result = fl_card_reader_read_pixels (self, job->pixels, job->width, job->height, job->stride,
                                         job->format, cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, g_object_unref);
}

static void
start_read (FlCardReader *self, ReadJob *job, GCancellable *cancellable,
            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, start_read);
  g_task_set_task_data (task, job, (GDestroyNotify) read_job_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, read_thread);
}

/**
 * fl_card_reader_read_file_async:
 *
 * Reads a card photo on a worker thread; @callback runs in the thread-default
 * main context of the caller.
 */
void
fl_card_reader_read_file_async (FlCardReader *self, const char *path, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  ReadJob *job;

  g_return_if_fail (FL_IS_CARD_READER (self));
  g_return_if_fail (path != NULL);

  job = g_new0 (ReadJob, 1);
  job->path = g_strdup (path);
  start_read (self, job, cancellable, callback, user_data);
}

/**
 * fl_card_reader_read_pixels_async:
 *
 * Reads a camera still on a worker thread; the pixels are referenced, not
 * copied, so they must not change until @callback runs.
 */
void
fl_card_reader_read_pixels_async (FlCardReader *self, GBytes *pixels, guint width, guint height,
                                  gsize stride, FlCardPixelFormat format,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  ReadJob *job;

  g_return_if_fail (FL_IS_CARD_READER (self));
  g_return_if_fail (pixels != NULL);

  job = g_new0 (ReadJob, 1);
  job->pixels = g_bytes_ref (pixels);
  job->width = width;
  job->height = height;
  job->stride = stride;
  job->format = format;
  start_read (self, job, cancellable, callback, user_data);
}

/**
 * fl_card_reader_read_finish:
 *
 * Returns: (transfer full): the result, or %NULL with an error
 */
FlCardResult *
fl_card_reader_read_finish (FlCardReader *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == start_read, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
codes_first_free (CodesFirst *codes)
{
  g_object_unref (codes->decoder);
  g_free (codes);
}

/* Called with the reader's lock held. */
static char *
decode_first_symbol (const guint8 *grey, guint width, guint height, gsize stride, gpointer user_data)
{
  CodesFirst *codes = user_data;
  g_autoptr(GPtrArray) symbols = NULL;
  FlDecodePass passes = fl_decoder_get_passes (codes->decoder);
  guint bar_height = fl_decoder_get_hint_bar_height (codes->decoder);

  /* A card found in a photo is straightened to about 300 dpi: the modules
   * of any code printed on it are 3 pixels or more, and doubling its size
   * (a scan of 2.4 million pixels, a third of the decode on a card with no
   * code) finds nothing the other passes miss. The photo as it came, when
   * no card was found, gets every pass. */
  if (codes->reader->decoding_card && (passes & FL_DECODE_PASS_UPSCALE))
    fl_decoder_set_passes (codes->decoder, passes & ~FL_DECODE_PASS_UPSCALE);
  /* Its width in pixels is 85 mm: bars must be CARD_BAR_MM tall, which
   * lines of print are not (at 75 ms of ZBar a card without a code). */
  if (codes->reader->decoding_card)
    fl_decoder_set_hint_bar_height (codes->decoder,
                                    (guint) (width * CARD_BAR_MM / CARD_WIDTH_MM));
  symbols = fl_decoder_decode (codes->decoder, grey, width, height, stride);
  fl_decoder_set_passes (codes->decoder, passes);
  fl_decoder_set_hint_bar_height (codes->decoder, bar_height);
  if (symbols == NULL || symbols->len == 0)
    return NULL;
  return g_strdup (((FlSymbol *) g_ptr_array_index (symbols, 0))->data);
}

/**
 * fl_card_reader_decode_codes_first:
 *
 * Makes the reader look for a QR code or barcode on the card before the
 * OCR; when one is found its fields win, the printed ones fill the rest,
 * and the lead's source is `card-qr`.
 */
void
fl_card_reader_decode_codes_first (FlCardReader *self)
{
  g_autoptr(FlDecoder) decoder = fl_decoder_new ();

  g_return_if_fail (FL_IS_CARD_READER (self));

  fl_card_reader_decode_codes_with (self, decoder);
}

/**
 * fl_card_reader_decode_codes_with:
 * @decoder: the decoder to look with (its symbologies, passes and budget)
 *
 * Like fl_card_reader_decode_codes_first(), with a decoder of the
 * caller's. On a card found in a photo and straightened, the decoder's
 * upscale pass is left out (the card is at about 300 dpi already); its
 * passes are as they were when the read returns. Use @decoder for nothing
 * else while the reader reads.
 */
void
fl_card_reader_decode_codes_with (FlCardReader *self, FlDecoder *decoder)
{
  CodesFirst *codes;

  g_return_if_fail (FL_IS_CARD_READER (self));
  g_return_if_fail (FL_IS_DECODER (decoder));

  codes = g_new0 (CodesFirst, 1);
  codes->decoder = g_object_ref (decoder);
  codes->reader = self;
  fl_card_reader_set_decode_func (self, decode_first_symbol, codes,
                                  (GDestroyNotify) codes_first_free);
}
