// Issue 12, point 6 in the browser: messages both ways (K3, N2). The registrar writes to a
// patient from the patient's card; the patient gets only a neutral letter, sees the message
// unread in the cabinet, reads it and answers in the same thread; the registrar sees the
// answer counted in the menu and listed in the feed, and opens the thread from there.
// axe-core on every new page at 1280 and 390 px, in Russian and English.
//
// It needs staff, so it runs on a clinic of its own (clinic.js).
// KABINET_E2E_SHOTS=/some/dir saves a screenshot of each page checked.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { openClinic, press } from './clinic.js';
import { everyWidth, launch, navigateBy, open } from './helpers.js';
import { letters, waitForLetter } from './mail.js';
import { OWN_SERVER_SKIP } from './server.js';

const FILE = 1; // this file's digit in the phones it registers with
const SUBJECT = 'Результаты анализов';
const STAFF_TEXT = 'Анализы готовы. Гемоглобин в норме, приходите на приём через полгода.';
const ANSWER = 'Спасибо! Можно ли получить расшифровку в регистратуре?';

describe('staff and a patient write to each other', { skip: OWN_SERVER_SKIP }, () => {
  let browser;
  let clinic;
  let regPage;
  let patientPage;
  let login;
  let threadPath;

  before(async () => {
    browser = await launch();
    clinic = await openClinic(browser, FILE);
    regPage = clinic.registrar.page;
    patientPage = clinic.patient.page;
    const card = await open(regPage, `/staff/patients/${clinic.patientId}`);
    assert.ok(card);
    login = (await regPage.locator('main').innerText()).match(/olga\.\S+@example\.ru/)[0];
  });

  after(async () => {
    await clinic?.close();
    await browser?.close();
  });

  test('the registrar writes from the patient card', async () => {
    await open(regPage, `/staff/patients/${clinic.patientId}`);
    await regPage.getByRole('heading', { name: 'Написать пациенту' }).waitFor();
    await everyWidth(regPage, 'staff-card-messages');
    await regPage.locator('#subject').fill(SUBJECT);
    await regPage.locator('#text').fill(STAFF_TEXT);
    await press(regPage, 'Отправить пациенту');
    threadPath = new URL(regPage.url()).pathname;
    assert.match(threadPath, /^\/staff\/patients\/\d+\/messages\/\d+$/);
    await regPage.getByRole('heading', { name: SUBJECT, level: 1 }).waitFor();
    await regPage.getByText(STAFF_TEXT).waitFor();
    await regPage.getByText('не прочитано', { exact: false }).waitFor();
    await everyWidth(regPage, 'staff-thread');
  });

  test('the patient gets a neutral letter only', async () => {
    const letter = await waitForLetter(login, 'Новое сообщение в личном кабинете', 0, 30_000, clinic.server.maildir);
    assert.equal(letter.subject, 'Новое сообщение в личном кабинете');
    assert.ok(letter.body.includes('/cabinet/messages'), letter.body);
    for (const secret of [STAFF_TEXT, SUBJECT, 'Кузнецова']) {
      assert.ok(!letter.body.includes(secret), `${secret} is not in the letter`);
    }
  });

  test('the patient sees it unread, reads it and answers in the thread', async () => {
    await open(patientPage, '/cabinet');
    const tab = patientPage.getByRole('link', { name: /Сообщения.*непрочитан/ });
    await navigateBy(patientPage, () => tab.click());
    const item = patientPage.getByRole('link', { name: new RegExp(SUBJECT) });
    assert.match(await item.innerText(), /1 непрочитанное/);
    await patientPage.getByRole('heading', { name: 'Написать в клинику' }).waitFor();
    await everyWidth(patientPage, 'cabinet-messages');

    await navigateBy(patientPage, () => item.click());
    await patientPage.getByRole('heading', { name: SUBJECT }).waitFor();
    await patientPage.getByText(STAFF_TEXT).waitFor();
    assert.equal(await patientPage.getByText('Клиника', { exact: true }).count(), 1, 'from the clinic');
    await patientPage.locator('#text').fill(ANSWER);
    await press(patientPage, 'Отправить');
    await patientPage.getByText(ANSWER).waitFor();
    await patientPage.getByText('Вы', { exact: true }).waitFor();
    await everyWidth(patientPage, 'cabinet-thread');
    const sent = letters(clinic.server.maildir).filter((l) => l.body.includes(ANSWER));
    assert.equal(sent.length, 0, 'the answer goes by no letter');
  });

  test('the registrar sees the answer in the menu and the feed and opens the thread', async () => {
    await open(regPage, '/staff');
    const feedLink = regPage.getByRole('link', { name: /Лента.*1 новое/ });
    await navigateBy(regPage, () => feedLink.click());
    const entry = regPage.locator('ol.feed li', { hasText: 'Сообщение от пациента' }).first();
    await entry.waitFor();
    assert.ok(!(await regPage.locator('main').innerText()).includes(ANSWER), 'the feed does not quote');
    await everyWidth(regPage, 'staff-feed-message');
    await navigateBy(regPage, () => entry.getByRole('link', { name: 'Открыть переписку' }).click());
    assert.equal(new URL(regPage.url()).pathname, threadPath);
    await regPage.getByText(ANSWER).waitFor();
    assert.equal(await regPage.getByRole('link', { name: /1 новое/ }).count(), 0, 'read now');
  });
});
