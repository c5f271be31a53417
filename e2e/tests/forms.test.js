// Forms help after an error (issue 10, point 9): a form sent back with errors opens with the
// focus on its error summary, which links to each field with a problem, and each link takes the
// focus to its field; the new password's hint is tied to its field (aria-describedby) on the
// patient's forms as on the staff's; fieldsets look alike everywhere. Without JavaScript too.
//
// The activation, the staff's forms and the letters need a clinic of the file's own
// (clinic.js: its own server, the first administrator, a registrar and a patient).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { checkA11y, launch, newContext, open } from './helpers.js';
import { giveAccess, newPerson, openClinic, patientSignIn, press } from './clinic.js';
import { linkIn, waitForLetter } from './mail.js';
import { OWN_SERVER_SKIP } from './server.js';

const FILE = 8; // this file's digit in the phones it registers with
const HINT = {
  ru: 'Не короче 10 символов. Удобнее всего фраза из нескольких слов. Не используйте своё имя, телефон или адрес почты.',
  en: 'At least 10 characters. A phrase of several words is easiest. Do not use your name, phone or e-mail.',
};

/** Submits the form that `selector` finds and waits for the answer; returns its status. */
async function send(page, selector) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator(`${selector} [type=submit]`).first().click(),
  ]);
  return response.status();
}

/**
 * The page opened with the focus on its error summary, which has a link to every field marked
 * invalid, in the form's order, saying the field's error; each link moves the focus to its
 * field. Returns the links' texts.
 */
async function summaryLeadsToFields(page, label) {
  const summary = page.locator('[role="alert"]');
  assert.equal(await summary.count(), 1, `${label}: one error summary`);
  const focused = await summary.evaluate((e) => e === document.activeElement);
  assert.ok(focused, `${label}: the error summary has the focus when the page opens`);

  const invalid = await page.locator('[aria-invalid="true"]').evaluateAll((els) => els.map((e) => e.id));
  assert.ok(invalid.length > 0, `${label}: some fields are marked invalid`);
  const links = summary.locator('a[href^="#"]');
  const targets = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href').slice(1)));
  assert.deepEqual(targets, invalid, `${label}: a link to each invalid field, in the form's order`);

  const unmarked = await page.locator('[aria-invalid="true"]:not([type=checkbox])').evaluateAll((els) =>
    els.filter((e) => getComputedStyle(e).borderTopWidth !== '2px').map((e) => e.id),
  );
  assert.deepEqual(unmarked, [], `${label}: every invalid field has the thick error border`);

  const texts = [];
  for (const [i, id] of targets.entries()) {
    const text = (await links.nth(i).innerText()).trim();
    const error = (await page.locator(`#${id}-error`).innerText()).trim();
    assert.ok(text.endsWith(`: ${error}`), `${label}: «${text}» says the error «${error}»`);
    texts.push(text);
    await links.nth(i).click();
    const now = await page.evaluate(() => document.activeElement?.id);
    assert.equal(now, id, `${label}: «${text}» moves the focus to its field`);
  }
  return texts;
}

/** The new password field names its hint (aria-describedby), whose text is the hint. */
async function hintTied(page, lang, label) {
  const ids = (await page.locator('#password').getAttribute('aria-describedby')) ?? '';
  const texts = [];
  for (const id of ids.split(/\s+/).filter(Boolean)) {
    texts.push((await page.locator(`#${id}`).innerText()).trim());
  }
  assert.ok(texts.includes(HINT[lang]), `${label}: the password field is described by its hint (${texts})`);
}

describe('forms help after an error', { skip: OWN_SERVER_SKIP }, () => {
  let browser;
  let clinic;
  let second; // a second patient: { data, access }
  let secondPage;

  before(async () => {
    browser = await launch();
    clinic = await openClinic(browser, FILE);
  });

  after(async () => {
    await clinic?.close();
    await browser?.close();
  });

  for (const lang of ['ru', 'en']) {
    test(`registration with errors, in ${lang === 'ru' ? 'Russian' : 'English'}`, async () => {
      const page = clinic.visitor.page;
      await page.goto(`/lang/${lang}?next=/register`);
      await hintTied(page, lang, 'the registration form');
      await page.locator('#login').fill('not an address');
      await page.locator('#password').fill('short');
      await page.locator('#password_repeat').fill('short');
      assert.equal(await send(page, 'form[action="/register"]'), 422);
      const texts = await summaryLeadsToFields(page, 'the registration form');
      const expected = lang === 'ru' ? 'Фамилия: Заполните это поле.' : 'Last name: Please fill in this field.';
      assert.equal(texts[0], expected);
      assert.ok(texts.some((t) => t.startsWith(lang === 'ru' ? 'Согласия: ' : 'Consents: ')), 'the consents too');
      await hintTied(page, lang, 'the registration form with errors');
      await checkA11y(page, `the registration form with errors (${lang})`);
    });
  }

  test('the one-time booking form with errors', async () => {
    const page = clinic.visitor.page;
    await page.goto(`/lang/ru?next=${encodeURIComponent(clinic.specialist.slots.at(-1).href)}`);
    await page.locator('#phone').fill('12345');
    assert.equal(await send(page, 'form[action="/booking"]'), 422);
    const texts = await summaryLeadsToFields(page, 'the booking form');
    assert.ok(texts.includes('Телефон: Укажите номер телефона, например +7 900 123-45-67.'), texts.join('\n'));
  });

  test('a wrong password at sign-in: the refusal has the focus', async () => {
    const page = clinic.visitor.page;
    await open(page, '/login');
    await page.locator('#login').fill('nobody@example.ru');
    await page.locator('#password').fill('не тот пароль совсем');
    assert.equal(await send(page, 'form[action="/login"]'), 401);
    const focused = await page.locator('[role="alert"]').evaluate((e) => e === document.activeElement);
    assert.ok(focused, 'the refusal has the focus');
  });

  test('activation with a mismatched repeat', async () => {
    const data = newPerson(FILE, 2);
    const access = await giveAccess(clinic.registrar.page, data);
    second = { data, access };
    const context = await newContext(browser, { baseURL: clinic.server.url });
    secondPage = await context.newPage();
    await patientSignIn(secondPage, data.login, access.oneTimePassword);
    assert.match(secondPage.url(), /\/account\/activate$/);
    await hintTied(secondPage, 'ru', 'the activation form');
    await secondPage.locator('#password').fill(data.password);
    await secondPage.locator('#password_repeat').fill(`${data.password}!`);
    assert.equal(await send(secondPage, 'form[action="/account/activate"]'), 422);
    const texts = await summaryLeadsToFields(secondPage, 'the activation form');
    assert.deepEqual(texts, ['Новый пароль ещё раз: Пароли не совпадают.']);
    await hintTied(secondPage, 'ru', 'the activation form with errors');
    await checkA11y(secondPage, 'the activation form with errors');
  });

  test('a new password after a lost one, with errors first', async () => {
    const { data } = second;
    await open(secondPage, '/account/lost');
    await secondPage.locator('#login').fill(data.login);
    await send(secondPage, 'form[action="/account/lost"]');
    const { maildir } = clinic.server;
    const report = await waitForLetter(data.login, 'Сообщение об утрате данных для входа', 0, 30_000, maildir);
    await secondPage.goto(linkIn(report, '/account/block?token='));
    await press(secondPage, 'Заблокировать доступ');
    const letter = await waitForLetter(data.login, 'Доступ к личному кабинету заблокирован', 0, 30_000, maildir);
    await secondPage.goto(linkIn(letter, '/account/reset?token='));
    await hintTied(secondPage, 'ru', 'the new password form');
    // The browser checks that both fields are filled in; the server, the rest.
    await secondPage.locator('#password').fill('коротко');
    await secondPage.locator('#password_repeat').fill('коротко');
    assert.equal(await send(secondPage, 'form[action="/account/reset"]'), 422);
    const texts = await summaryLeadsToFields(secondPage, 'the new password form');
    assert.ok(texts[0].startsWith('Новый пароль: '), texts.join('\n'));
    await hintTied(secondPage, 'ru', 'the new password form with errors');
    await checkA11y(secondPage, 'the new password form with errors');
  });

  test('the password change in the cabinet with errors', async () => {
    const page = clinic.patient.page;
    await open(page, '/cabinet/security');
    await hintTied(page, 'ru', 'the password change');
    await page.locator('#current_password').fill('не тот пароль совсем');
    await page.locator('#password').fill('коротко');
    await page.locator('#password_repeat').fill('коротко');
    assert.equal(await send(page, 'form[action="/cabinet/password"]'), 422);
    await summaryLeadsToFields(page, 'the password change');
    await hintTied(page, 'ru', 'the password change with errors');
    await checkA11y(page, 'the password change with errors');
  });

  test('a change request with a bad phone', async () => {
    const page = clinic.patient.page;
    await open(page, '/cabinet/profile');
    await page.locator('#phone').fill('12345');
    assert.equal(await send(page, 'form[action="/cabinet/profile/requests"]'), 422);
    const texts = await summaryLeadsToFields(page, 'the change request');
    assert.deepEqual(texts, ['Телефон: Укажите номер телефона, например +7 900 123-45-67.']);
    await checkA11y(page, 'the change request with errors');
  });

  test('the registrar\'s confirmed access form with errors', async () => {
    const page = clinic.registrar.page;
    await open(page, '/staff/access/new');
    await page.locator('#login').fill('not an address');
    assert.equal(await send(page, 'form[action="/staff/access"]'), 422);
    const texts = await summaryLeadsToFields(page, 'the confirmed access form');
    assert.equal(texts[0], 'Фамилия: Заполните это поле.');
  });

  test('a colleague\'s password by the setup link, too short', async () => {
    const page = clinic.admin.page;
    await open(page, '/staff/team');
    await page.locator('#login').fill(`colleague.${Date.now()}`);
    await page.locator('#full_name').fill('Смирнова Анна Петровна');
    await send(page, 'form[action="/staff/team"]');
    const link = (await page.locator('main').innerText()).match(/\S+\/staff\/setup\?token=\S+/);
    assert.ok(link, 'the setup link');
    const context = await newContext(browser, { baseURL: clinic.server.url });
    try {
      const colleague = await context.newPage();
      await colleague.goto(link[0]);
      await colleague.locator('#password').fill('коротко');
      assert.equal(await send(colleague, 'form[action="/staff/setup"]'), 422);
      const texts = await summaryLeadsToFields(colleague, 'the staff setup form');
      assert.ok(texts[0].startsWith('Личный пароль: '), texts.join('\n'));
      await checkA11y(colleague, 'the staff setup form with errors');
    } finally {
      await context.close();
    }
  });

  test('fieldsets have one look: a thin border and a bold legend', async () => {
    const looks = [];
    for (const [page, path] of [
      [clinic.visitor.page, '/register'],
      [clinic.registrar.page, '/staff/access/new'],
    ]) {
      await open(page, path);
      looks.push(
        ...(await page.locator('fieldset').evaluateAll((sets) =>
          sets.map((f) => {
            const s = getComputedStyle(f);
            const legend = getComputedStyle(f.querySelector('legend'));
            return `${s.borderTopStyle} ${s.borderTopWidth} ${s.borderTopColor} ${s.borderTopLeftRadius}, legend ${legend.fontWeight}`;
          }),
        )),
      );
    }
    assert.equal(looks.length, 4, 'a fieldset on the registration, three on the access form (the paper consents)');
    assert.deepEqual(new Set(looks).size, 1, `one look: ${looks.join(' | ')}`);
    assert.match(looks[0], /^solid 1px .*, legend 600$/);
  });

  test('without JavaScript, the summary still has the focus and its links still work', async () => {
    const context = await newContext(browser, { baseURL: clinic.server.url, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await open(page, '/register');
      assert.equal(await send(page, 'form[action="/register"]'), 422);
      await summaryLeadsToFields(page, 'the registration form without JavaScript');
    } finally {
      await context.close();
    }
  });
});
