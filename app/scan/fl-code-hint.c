/* fl-code-hint.c: a quick look for anything that could be a code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ZBar is slow on a frame with nothing in it (sensor noise makes it try
 * every scan line), and the decoder's fallback passes multiply that. Before
 * them, this looks along every other row, black and white by the local mean
 * with a margin above the image's own noise, for either
 *
 *  - a QR finder pattern: runs of 1:1:3:1:1 (either polarity), confirmed
 *    by the same ratio down the column through its centre; or
 *  - bars: a stretch with many edges that the row two pixels on (or the
 *    column two pixels on, for bars lying down) repeats almost exactly,
 *    twice over.
 *
 * Noise has neither: its runs do not line up from one line to the next.
 * The look errs on the side of "maybe": a false "maybe" only costs the
 * passes it would have saved.
 */
#define G_LOG_DOMAIN "fl-code-hint"

#include "config.h"

#include <string.h>

#include "fl-code-hint.h"

#define LINE_STEP   2   /* every other row (a 1-pixel-module finder's centre is 3 rows) */
#define MEAN_RADIUS 16  /* the local mean a line is thresholded against */
#define WINDOW      48  /* the stretch two lines of bars are compared over */
#define MIN_EDGES   8   /* edges in it */
#define MIN_AGREE   44  /* pixels of it the two lines agree on */
#define MIN_REPEATS 2   /* lines in a row that repeat the one before */
#define MAX_SHIFT   2   /* pixels the bars may move from one line to the next */

/* Typical difference of neighbouring pixels: the margin a pixel must be
 * from the local mean to count as dark or light. */
static guint
noise_margin (const guint8 *grey, guint width, guint height, gsize stride)
{
  gsize histogram[256] = { 0 };
  gsize n = 0, count = 0;
  guint v;

  for (guint y = 0; y < height; y += 16)
    for (guint x = 0; x + 1 < width; x++)
      {
        const guint8 *p = grey + (gsize) y * stride + x;

        histogram[ABS ((int) p[1] - (int) p[0])]++;
        n++;
      }
  for (v = 0; v < 255 && count + histogram[v] <= n / 2; v++)
    count += histogram[v];
  return MAX (2, v * 3 / 2);
}

/* 0 dark, 1 light, with hysteresis: a pixel within @margin of the local
 * mean keeps the colour before it. */
static void
binarize_line (const guint8 *line, gsize step, guint n, guint margin, guint8 *out)
{
  guint64 sum = 0;
  guint count = 0;
  guint8 state = 1;

  for (guint i = 0; i < MEAN_RADIUS && i < n; i++)
    sum += line[i * step], count++;
  for (guint i = 0; i < n; i++)
    {
      gint64 v = line[i * step];

      if (i + MEAN_RADIUS < n)
        sum += line[(i + MEAN_RADIUS) * step], count++;
      if (i >= MEAN_RADIUS + 1)
        sum -= line[(i - MEAN_RADIUS - 1) * step], count--;
      if ((v + margin) * count < (gint64) sum)
        state = 0;
      else if ((v - (gint64) margin) * count > (gint64) sum)
        state = 1;
      out[i] = state;
    }
}

/* Whether five runs are 1:1:3:1:1, each outer run within half a module. */
static gboolean
finder_ratio (const guint runs[5], guint *total)
{
  guint t = runs[0] + runs[1] + runs[2] + runs[3] + runs[4];

  if (t < 7)
    return FALSE;
  for (guint i = 0; i < 5; i++)
    {
      guint r7 = runs[i] * 7;

      if (i == 2 ? (r7 < 2 * t || r7 > 4 * t) : (2 * r7 < t || 2 * r7 > 3 * t))
        return FALSE;
    }
  *total = t;
  return TRUE;
}

/* Calls found() for each 1:1:3:1:1 in a binarised line: the centre of the
 * middle run, the total and the colour of the middle run. Stops when it
 * returns TRUE. */
typedef gboolean (*FinderFunc) (guint centre, guint total, guint8 colour, gpointer data);

static gboolean
find_finders (const guint8 *bits, guint n, FinderFunc found, gpointer data)
{
  guint runs[5] = { 0 };
  guint starts[5] = { 0 };
  guint n_runs = 0, start = 0;

  for (guint i = 1; i <= n; i++)
    {
      guint total;

      if (i < n && bits[i] == bits[i - 1])
        continue;
      memmove (runs, runs + 1, 4 * sizeof runs[0]);
      memmove (starts, starts + 1, 4 * sizeof starts[0]);
      runs[4] = i - start;
      starts[4] = start;
      start = i;
      /* The first run of a line has no edge before it. */
      if (++n_runs >= 6 && finder_ratio (runs, &total) &&
          found (starts[2] + runs[2] / 2, total, bits[starts[2]], data))
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  const guint8 *grey;
  guint         width;
  guint         height;
  gsize         stride;
  guint         margin;
  guint         y;       /* the row being searched */
  guint8       *column;  /* scratch, height bytes */
  guint         want_centre;
  guint         want_total;
  guint8        want_colour;
} Look;

static gboolean
column_agrees (guint centre, guint total, guint8 colour, gpointer data)
{
  Look *look = data;

  return colour == look->want_colour &&
         ABS ((int) centre - (int) look->want_centre) * 7 <= (int) look->want_total * 3 / 2 &&
         2 * total >= look->want_total && total <= 2 * look->want_total;
}

/* Whether the line through (@x, @y), along @step, has a finder like the
 * one wanted, centred on that point. */
static gboolean
finder_through (Look *look, guint x, guint y, gboolean down, guint total, guint8 colour)
{
  guint at = down ? y : x, n = down ? look->height : look->width;
  guint from = at > 2 * total ? at - 2 * total : 0;
  guint to = MIN (n, at + 2 * total + 1);
  const guint8 *start = down ? look->grey + (gsize) from * look->stride + x
                             : look->grey + (gsize) y * look->stride + from;

  binarize_line (start, down ? look->stride : 1, to - from, look->margin, look->column);
  look->want_centre = at - from;
  look->want_total = total;
  look->want_colour = colour;
  return find_finders (look->column, to - from, column_agrees, look);
}

/* A finder found in a row: is it one in the rows next to it, and down its
 * column? Noise makes a few runs of 1:1:3:1:1 by chance, never a stack. */
static gboolean
row_finder (guint centre, guint total, guint8 colour, gpointer data)
{
  Look *look = data;
  gboolean above = look->y > 0 && finder_through (look, centre, look->y - 1, FALSE, total, colour);
  gboolean below = look->y + 1 < look->height &&
                   finder_through (look, centre, look->y + 1, FALSE, total, colour);

  /* With modules of one pixel, only three rows cross the middle run. */
  if (total >= 14 ? !(above && below) : !(above || below))
    return FALSE;
  return finder_through (look, centre, look->y, TRUE, total, colour);
}

/* Whether two binarised lines agree over a stretch with many edges, the
 * second moved by up to MAX_SHIFT pixels: bars at an angle. @sums is
 * scratch of 2 × (n + 1). */
static gboolean
lines_repeat (const guint8 *a, const guint8 *b, guint n, guint32 *sums)
{
  guint32 *edges = sums;           /* edges[i]: edges of a up to i */
  guint32 *agree = sums + n + 1;   /* agree[i]: agreements before i */

  if (n < WINDOW + 2 * MAX_SHIFT)
    return FALSE;
  edges[0] = 0;
  for (guint i = 1; i < n; i++)
    edges[i] = edges[i - 1] + (a[i] != a[i - 1]);
  for (int shift = -MAX_SHIFT; shift <= MAX_SHIFT; shift++)
    {
      guint from = MAX_SHIFT, to = n - MAX_SHIFT;

      agree[from] = 0;
      for (guint i = from; i < to; i++)
        agree[i + 1] = agree[i] + (a[i] == b[i + shift]);
      for (guint i = from; i + WINDOW <= to; i++)
        if (agree[i + WINDOW] - agree[i] >= MIN_AGREE &&
            edges[i + WINDOW - 1] - edges[i] >= MIN_EDGES)
          return TRUE;
    }
  return FALSE;
}

/**
 * fl_code_hint_present:
 *
 * A quick look (a few milliseconds for a camera frame) for anything that
 * could be a QR code or a barcode.
 *
 * Returns: %FALSE when the image surely has no code in it
 */
gboolean
fl_code_hint_present (const guint8 *grey, guint width, guint height, gsize stride)
{
  g_autofree guint8 *line = NULL;
  g_autofree guint8 *previous = NULL;
  g_autofree guint8 *column = NULL;
  g_autofree guint8 *strip = NULL;
  g_autofree guint32 *sums = NULL;
  guint repeats = 0;
  Look look = { grey, width, height, stride, 0, 0, NULL, 0, 0, 0 };

  g_return_val_if_fail (grey != NULL, FALSE);

  if (width < 8 || height < 8)
    return TRUE;  /* too small to tell: let ZBar look */

  look.margin = noise_margin (grey, width, height, stride);
  g_debug ("noise margin %u", look.margin);
  line = g_malloc (width);
  previous = g_malloc (width);
  column = g_malloc (MAX (width, height));
  strip = g_malloc (height);
  sums = g_new (guint32, 2 * ((gsize) MAX (width, height) + 1));
  look.column = column;

  for (guint y = 0; y < height; y += LINE_STEP)
    {
      binarize_line (grey + (gsize) y * stride, 1, width, look.margin, line);
      look.y = y;
      if (find_finders (line, width, row_finder, &look))
        {
          g_debug ("a finder pattern in row %u", y);
          return TRUE;
        }
      repeats = y > 0 && lines_repeat (line, previous, width, sums) ? repeats + 1 : 0;
      if (repeats >= MIN_REPEATS)
        {
          g_debug ("bars in row %u", y);
          return TRUE;
        }
      memcpy (previous, line, width);
    }
  /* Bars lying down. */
  repeats = 0;
  for (guint x = 0; x < width; x += LINE_STEP)
    {
      binarize_line (grey + x, stride, height, look.margin, strip);
      repeats = x > 0 && lines_repeat (strip, column, height, sums) ? repeats + 1 : 0;
      if (repeats >= MIN_REPEATS)
        {
          g_debug ("bars in column %u", x);
          return TRUE;
        }
      memcpy (column, strip, height);
    }
  return FALSE;
}
