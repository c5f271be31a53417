// The directory at scale (issue 11, point 8), on a phone (390 px) and a desktop (1280 px), in
// Russian and in English: "soonest free first" puts every specialist with a free time before
// those without one, in the order of their times; "free on a day" keeps the day in the form and
// lists only who is free that day; a day booking is not open for is explained next to the
// field and kept. axe-core on every page; screenshots go to $SHOTS_DIR when it is set.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { BASE, acceptedContext, checkA11y, launch, navigateBy, open } from './helpers.js';

// This file books nothing, so it makes no phones.
const TEXT = {
  ru: { outside: 'На этот день запись не открыта' },
  en: { outside: 'Booking is not open for that day' },
};

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** `day` (YYYY-MM-DD) moved by `days`. */
function addDays(day, days) {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Each card's nearest free time as the API gives it, by specialist path, in the page's order. */
async function nearestTimes(page) {
  const paths = await page.locator('.card h2 a').evaluateAll((links) =>
    links.map((a) => new URL(a.href).pathname),
  );
  const response = await fetch(`${BASE}/api/v1/specialists?limit=100`);
  const byId = new Map((await response.json()).items.map((s) => [s.id, s.nearest_free]));
  return paths.map((path) => byId.get(Number(path.split('/').pop())));
}

async function shot(page, name) {
  if (process.env.SHOTS_DIR) {
    await page.screenshot({ path: `${process.env.SHOTS_DIR}/${name}.png`, fullPage: true });
  }
}

for (const lang of ['ru', 'en']) {
  for (const width of [390, 1280]) {
    describe(`the directory's day and order in ${lang} at ${width} px`, () => {
      let context;
      let page;

      before(async () => {
        context = await acceptedContext(browser, { viewport: { width, height: 844 } });
        page = await context.newPage();
        await open(page, lang === 'en' ? '/lang/en?next=/specialists' : '/specialists');
      });

      after(async () => {
        await context?.close();
      });

      test('soonest free first orders the cards by their nearest time', async () => {
        await page.locator('#sort').selectOption('nearest');
        await navigateBy(page, () => page.locator('form.search button[type=submit]').click());
        assert.match(page.url(), /sort=nearest/);
        assert.equal(await page.locator('#sort').inputValue(), 'nearest', 'the order is kept');
        const times = await nearestTimes(page);
        assert.ok(times.length > 0);
        const known = times.filter((t) => t);
        assert.ok(known.length > 0, 'somebody is free');
        assert.deepEqual(times.slice(0, known.length), known, 'who has no time comes last');
        const sorted = [...known].sort();
        assert.deepEqual(known, sorted, 'the times never go back');
        assert.ok(await page.locator('.card').first().locator('.nearest').isVisible());
        await checkA11y(page, `directory sorted (${lang}, ${width})`);
        await shot(page, `directory-nearest-${lang}-${width}`);
      });

      test('free on a day lists who is free then and keeps the day', async () => {
        const field = page.locator('#free_on');
        const first = await field.getAttribute('min');
        const day = addDays(first, 2);
        await field.fill(day);
        await navigateBy(page, () => page.locator('form.search button[type=submit]').click());
        assert.equal(await page.locator('#free_on').inputValue(), day);
        const response = await fetch(`${BASE}/api/v1/specialists?limit=100&free_on=${day}`);
        const free = (await response.json()).items.length;
        assert.equal(await page.locator('.card').count(), Math.min(free, 20));
        assert.ok(free > 0);
        await checkA11y(page, `directory free on a day (${lang}, ${width})`);
        await shot(page, `directory-free-on-${lang}-${width}`);
      });

      test('a day booking is not open for is explained next to the field and kept', async () => {
        const last = await page.locator('#free_on').getAttribute('max');
        const later = addDays(last, 3);
        await open(page, `/specialists?free_on=${later}`);
        const error = page.locator('#free_on-error');
        assert.match(await error.innerText(), new RegExp(TEXT[lang].outside));
        assert.equal(await page.locator('#free_on').getAttribute('aria-invalid'), 'true');
        assert.equal(await page.locator('#free_on').inputValue(), later);
        await checkA11y(page, `directory day outside (${lang}, ${width})`);
        await shot(page, `directory-outside-${lang}-${width}`);
      });
    });
  }
}
