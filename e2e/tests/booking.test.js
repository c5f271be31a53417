// Issue 2 in the browser with JavaScript on: the whole story (see story.js), and the details of
// the booking form that the story leaves aside.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  RU,
  bookableSpecialist,
  clickSlot,
  laterSlot,
  launch,
  navigateBy,
  newContext,
  notice,
  open,
  submitBooking,
} from './helpers.js';
import { bookingStory } from './story.js';

const FILE = 2; // this file's digit in the phones it books with
const WHICH = 1; // this file's specialist (see bookableSpecialist)

bookingStory({ file: FILE, which: WHICH, javaScriptEnabled: true });

/**
 * Runs an action that navigates and reports where the browser ended: { status, url, error }.
 * Chromium shows its own error page for an empty error response, and the navigation then
 * fails; this reports the HTTP status of that response instead of a bare net:: error.
 */
async function navigateAndReport(page, action) {
  const responses = [];
  const onResponse = (r) => {
    if (r.frame() === page.mainFrame() && r.request().isNavigationRequest()) responses.push(r);
  };
  page.on('response', onResponse);
  let error = null;
  try {
    await navigateBy(page, action);
  } catch (e) {
    error = e;
  } finally {
    page.off('response', onResponse);
  }
  const last = responses.at(-1);
  return {
    status: last?.status(),
    url: last?.url(),
    chain: responses.map((r) => `${r.request().method()} ${new URL(r.url()).pathname} → ${r.status()}`),
    error: error?.message.split('\n')[0] ?? null,
  };
}

describe('the booking form, details', () => {
  let browser;
  let context;
  let page;
  let target;

  before(async () => {
    browser = await launch();
    context = await newContext(browser);
    target = await bookableSpecialist(context, WHICH);
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close();
  });

  test('the required consent is announced as required, the optional one is not', async () => {
    await open(page, `/specialists/${target.id}`);
    await clickSlot(page, laterSlot(target, 1));
    const required = page.locator('#consent_personal_data');
    const announced =
      (await required.getAttribute('required')) !== null ||
      (await required.getAttribute('aria-required')) === 'true';
    assert.ok(
      announced,
      '#consent_personal_data has `required` or aria-required="true" (its «*» is aria-hidden)',
    );
    const optional = page.locator('#consent_calls');
    assert.equal(await optional.getAttribute('required'), null);
    assert.notEqual(await optional.getAttribute('aria-required'), 'true');
  });

  test('on the re-rendered form, «Согласен» and «English» lead to a page, not to an error', async () => {
    await open(page, `/specialists/${target.id}`);
    await clickSlot(page, laterSlot(target, 1));
    assert.equal((await submitBooking(page)).status(), 422, 'submitted empty');
    const formUrl = page.url();
    assert.equal(await notice(page).count(), 1, 'a fresh visitor sees the notice on the form');

    const english = await navigateAndReport(page, () =>
      page.locator('header a.lang').click(),
    );
    assert.ok(
      english.status === 200 && !english.error,
      `«English» on the re-rendered form (${formUrl}) ends on ${english.chain.join(', ')}` +
        (english.error ? ` (${english.error})` : ''),
    );

    await open(page, '/lang/ru?next=/'); // back to Russian
    await open(page, `/specialists/${target.id}`);
    await clickSlot(page, laterSlot(target, 1));
    assert.equal((await submitBooking(page)).status(), 422, 'submitted empty');
    const accepted = await navigateAndReport(page, () =>
      notice(page).getByRole('button', { name: RU.noticeAccept, exact: true }).click(),
    );
    assert.ok(
      accepted.status === 200 && !accepted.error,
      `«Согласен» on the re-rendered form ends on ${accepted.chain.join(', ')}` +
        (accepted.error ? ` (${accepted.error})` : ''),
    );
  });
});
