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
 * A line of printed text has bars too: at about 300 dpi its vertical
 * strokes repeat from row to row over the letters' height. Where the
 * resolution is known (a card straightened to a known width), the caller
 * can ask for bars as tall as a printed barcode is
 * (fl_code_hint_present_full()): the same stretch must then repeat, row
 * after row, over that height, which text does not reach.
 *
 * Noise has neither: its runs do not line up from one line to the next.
 * The look errs on the side of "maybe": a false "maybe" only costs the
 * passes it would have saved.
 */
#define G_LOG_DOMAIN "fl-code-hint"

#include "config.h"

#include <math.h>
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
  guint         found_centre;  /* of the finder column_agrees() took */
  guint         found_total;
  gboolean      square;        /* finders must be square (square_finder()) */
} Look;

static gboolean
column_agrees (guint centre, guint total, guint8 colour, gpointer data)
{
  Look *look = data;

  if (colour == look->want_colour &&
      ABS ((int) centre - (int) look->want_centre) * 7 <= (int) look->want_total * 3 / 2 &&
      2 * total >= look->want_total && total <= 2 * look->want_total)
    {
      look->found_centre = centre;
      look->found_total = total;
      return TRUE;
    }
  return FALSE;
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
  if (!find_finders (look->column, to - from, column_agrees, look))
    return FALSE;
  look->found_centre += from;
  return TRUE;
}

/* Whether the finder centred on (@cx, @cy), @across × @down pixels
 * along the row and column through its centre, is the square of a QR
 * finder, module by module: a dark square ring, a light one, a dark 3 × 3
 * centre (or the other way round). The rows and columns through its centre
 * run 1:1:3:1:1 in more than QR finders: the round rings of "@", "o" or
 * "e" in bold print, or strokes of a few letters side by side, do too, but
 * their modules off those lines do not match. Up to MAX_MISMATCHES of the
 * 49 may (blur). A code may be printed askew: the square is tried every
 * FINDER_TURN degrees up to FINDER_MAX_TURN either way (the row through
 * the centre of a square turned by θ is 1 / cos θ of its side). Up to 45°
 * would take a few more lines of print for finders (22 of 480 cards of
 * print at 6–32 pt, against 8 of 480 up to 22.5° and 3 of 480 square on);
 * a code printed that far askew on a card is rare, and the card's own
 * turn in the photo is undone before this look. */
#define MAX_MISMATCHES  4
#define FINDER_TURN     7.5
#define FINDER_MAX_TURN 22.5

static gboolean
square_finder (Look *look, guint cx, guint cy, guint across, guint down)
{
  int centre, light, threshold;

  if (cx < across / 2 + 1 || cx + across / 2 + 1 >= look->width ||
      cy < down / 2 + 1 || cy + down / 2 + 1 >= look->height)
    return FALSE;
#define AT(x, y) ((int) look->grey[(gsize) (y) * look->stride + (x)])
  centre = AT (cx, cy);
  for (double degrees = -FINDER_MAX_TURN; degrees <= FINDER_MAX_TURN; degrees += FINDER_TURN)
    {
      double turn = degrees * G_PI / 180.0, c = cos (turn), s = sin (turn);
      double mx = across * c / 7.0, my = down * c / 7.0;
      guint mismatches = 0;

      /* The light ring, two modules out along the square's own axes. */
      light = (AT ((int) (cx - 2 * mx * c + 0.5), (int) (cy - 2 * my * s + 0.5)) +
               AT ((int) (cx + 2 * mx * c + 0.5), (int) (cy + 2 * my * s + 0.5)) +
               AT ((int) (cx + 2 * mx * s + 0.5), (int) (cy - 2 * my * c + 0.5)) +
               AT ((int) (cx - 2 * mx * s + 0.5), (int) (cy + 2 * my * c + 0.5))) / 4;
      threshold = (centre + light) / 2;
      if (ABS (centre - light) < 2 * (int) look->margin)
        continue;
      for (int j = -3; j <= 3 && mismatches <= MAX_MISMATCHES; j++)
        for (int i = -3; i <= 3; i++)
          {
            int ring = MAX (ABS (i), ABS (j));
            int x = (int) (cx + (i * c - j * s) * mx + 0.5);
            int y = (int) (cy + (i * s + j * c) * my + 0.5);
            gboolean like_centre;

            if (x < 0 || y < 0 || x >= (int) look->width || y >= (int) look->height)
              {
                mismatches++;
                continue;
              }
            like_centre = centre < light ? AT (x, y) < threshold : AT (x, y) > threshold;
            if (like_centre != (ring != 2))
              mismatches++;
          }
      if (mismatches <= MAX_MISMATCHES)
        return TRUE;
    }
#undef AT
  return FALSE;
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
  if (!finder_through (look, centre, look->y, TRUE, total, colour))
    return FALSE;
  if (look->square && !square_finder (look, centre, look->found_centre, total, look->found_total))
    return FALSE;
  g_debug ("a finder pattern at %u, %u, %u pixels across", centre, look->found_centre, total);
  return TRUE;
}

/* Whether two binarised lines agree over a stretch of WINDOW pixels with
 * many edges, the second moved by up to MAX_SHIFT pixels: bars at an
 * angle. With @match %NULL it stops at the first such stretch; else it
 * marks in @match (n bytes) the start of every one. @sums is scratch of
 * 2 × (n + 1). */
static gboolean
lines_agree (const guint8 *a, const guint8 *b, guint n, guint32 *sums, guint8 *match)
{
  guint32 *edges = sums;           /* edges[i]: edges of a up to i */
  guint32 *agree = sums + n + 1;   /* agree[i]: agreements before i */
  gboolean any = FALSE;

  if (match != NULL)
    memset (match, 0, n);
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
          {
            if (match == NULL)
              return TRUE;
            match[i] = 1;
            any = TRUE;
          }
    }
  return any;
}

/* Bars of a known least height: for each window start, how many lines in
 * a row have repeated the one before there (give or take MAX_SHIFT, bars
 * at an angle). A line that does not ends the run: bridging even one lets
 * small print chain its lines into a run as tall as a barcode. Returns
 * the tallest run after this line. @runs holds the runs of the line
 * before and gets this line's; @next is scratch. */
static guint
track_runs (const guint8 *match, guint n, guint16 *runs, guint16 *next)
{
  guint tallest = 0;

  for (guint i = 0; i < n; i++)
    {
      guint16 best = 0;

      if (!match[i])
        {
          next[i] = 0;
          continue;
        }
      for (guint j = i > MAX_SHIFT ? i - MAX_SHIFT : 0; j <= i + MAX_SHIFT && j < n; j++)
        best = MAX (best, runs[j]);
      next[i] = best < G_MAXUINT16 ? best + 1 : best;
      tallest = MAX (tallest, next[i]);
    }
  memcpy (runs, next, n * sizeof runs[0]);
  return tallest;
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
  return fl_code_hint_present_full (grey, width, height, stride, 0);
}

/**
 * fl_code_hint_present_full:
 * @min_bar_height: 0 for any bars; otherwise the least height in pixels
 *   (or width, for bars lying down) over which bars must repeat
 *
 * Like fl_code_hint_present(), for an image whose resolution is known: a
 * card straightened to about 300 dpi, where a printed barcode is several
 * millimetres tall and a line of text is not. A QR finder pattern must
 * then also be square, module by module, which letters are not.
 *
 * Returns: %FALSE when the image surely has no code in it
 */
gboolean
fl_code_hint_present_full (const guint8 *grey, guint width, guint height, gsize stride,
                           guint min_bar_height)
{
  g_autofree guint8 *line = NULL;
  g_autofree guint8 *previous = NULL;
  g_autofree guint8 *column = NULL;
  g_autofree guint8 *strip = NULL;
  g_autofree guint32 *sums = NULL;
  g_autofree guint8 *match = NULL;
  g_autofree guint16 *runs = NULL;
  g_autofree guint16 *next = NULL;
  guint longest = MAX (width, height);
  guint repeats = 0, tallest = 0;
  /* Lines in a row that must repeat the one before. */
  guint needed = MAX (MIN_REPEATS, (min_bar_height + LINE_STEP - 1) / LINE_STEP);
  Look look = { grey, width, height, stride, 0, 0, NULL, 0, 0, 0, 0, 0, min_bar_height > 0 };

  g_return_val_if_fail (grey != NULL, FALSE);

  if (width < 8 || height < 8)
    return TRUE;  /* too small to tell: let ZBar look */

  look.margin = noise_margin (grey, width, height, stride);
  g_debug ("noise margin %u", look.margin);
  line = g_malloc (width);
  previous = g_malloc (width);
  column = g_malloc (longest);
  strip = g_malloc (height);
  sums = g_new (guint32, 2 * ((gsize) longest + 1));
  look.column = column;
  if (min_bar_height > 0)
    {
      match = g_malloc (longest);
      runs = g_new0 (guint16, longest);
      next = g_new (guint16, longest);
    }

  for (guint y = 0; y < height; y += LINE_STEP)
    {
      binarize_line (grey + (gsize) y * stride, 1, width, look.margin, line);
      look.y = y;
      if (find_finders (line, width, row_finder, &look))
        {
          g_debug ("a finder pattern in row %u", y);
          return TRUE;
        }
      if (min_bar_height == 0)
        repeats = y > 0 && lines_agree (line, previous, width, sums, NULL) ? repeats + 1 : 0;
      else if (y > 0)
        {
          lines_agree (line, previous, width, sums, match);
          repeats = track_runs (match, width, runs, next);
          tallest = MAX (tallest, repeats);
        }
      if (repeats >= needed)
        {
          g_debug ("bars in row %u", y);
          return TRUE;
        }
      memcpy (previous, line, width);
    }
  /* Bars lying down. */
  repeats = 0;
  if (runs != NULL)
    memset (runs, 0, longest * sizeof runs[0]);
  for (guint x = 0; x < width; x += LINE_STEP)
    {
      binarize_line (grey + x, stride, height, look.margin, strip);
      if (min_bar_height == 0)
        repeats = x > 0 && lines_agree (strip, column, height, sums, NULL) ? repeats + 1 : 0;
      else if (x > 0)
        {
          lines_agree (strip, column, height, sums, match);
          repeats = track_runs (match, height, runs, next);
          tallest = MAX (tallest, repeats);
        }
      if (repeats >= needed)
        {
          g_debug ("bars in column %u", x);
          return TRUE;
        }
      memcpy (column, strip, height);
    }
  if (min_bar_height > 0)
    g_debug ("no bars %u px tall: the tallest are %u px", min_bar_height, tallest * LINE_STEP);
  return FALSE;
}
