// Personal data requests, written requests and the copy of one's data (issue 13, points 3, 7,
// 8) in the browser, on a clinic of its own: the clinic's patient asks for access to their
// data and writes a question with a PNG attached; the registrar sees both in the queue by due
// date, answers both, and records a disclosure on the patient's card; the patient reads the
// answers and the copy of their data, with the disclosure; the administrator's calendar
// upload names a bad line. axe-core on every new page at 1280 and 390 px, in Russian and
// English. KABINET_E2E_SHOTS=/some/dir saves a screenshot of each.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { openClinic, press } from './clinic.js';
import { everyWidth, launch, open } from './helpers.js';
import { OWN_SERVER_SKIP } from './server.js';

const FILE = 9; // this file's digit in the phones of its clinic (a server of its own)

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

let browser;
let clinic;

before(async () => {
  if (OWN_SERVER_SKIP) return;
  browser = await launch();
  clinic = await openClinic(browser, FILE);
});

after(async () => {
  await clinic?.close();
  await browser?.close();
});

describe('a patient’s requests are answered within their periods', { skip: OWN_SERVER_SKIP }, () => {
  test('the patient asks for access to their data and writes a question with a file', async () => {
    const page = clinic.patient.page;
    await open(page, '/cabinet/requests');
    await page.getByRole('heading', { name: 'Запросы о персональных данных' }).waitFor();
    await everyWidth(page, 'requests-list-empty');
    await open(page, '/cabinet/requests/new?kind=access');
    assert.ok(await page.locator('#kind-access').isChecked(), 'the link preselects the kind');
    await everyWidth(page, 'request-new');
    await page.locator('#kind-access').check();
    await page.locator('#text').fill('Прошу копию всех моих данных.');
    await press(page, 'Отправить запрос');
    assert.match(page.url(), /\/cabinet\/requests\?done=request$/);
    await page.getByText('ответ до', { exact: false }).first().waitFor();
    await everyWidth(page, 'requests-list', { here: true });

    await open(page, '/cabinet/requests/new?kind=deletion&consent=personal_data');
    await page.locator('#consent-note').waitFor();
    await everyWidth(page, 'request-withdraw-consent');

    await open(page, '/cabinet/appeals/new');
    await everyWidth(page, 'appeal-new');
    await page.locator('#category').selectOption('question');
    await page.locator('#text').fill('Можно ли прийти на анализы без записи?');
    await page.locator('#files').setInputFiles({ name: 'note.txt.pdf', mimeType: 'application/pdf', buffer: Buffer.from('just text') });
    await press(page, 'Отправить обращение');
    await page.getByText('Можно прикрепить только PDF, JPEG или PNG', { exact: false }).first().waitFor();
    assert.equal(await page.locator('#text').inputValue(), 'Можно ли прийти на анализы без записи?', 'the text is kept');
    await page.locator('#category').selectOption('question');
    await page.locator('#files').setInputFiles({ name: 'scan.png', mimeType: 'image/png', buffer: PNG });
    await press(page, 'Отправить обращение');
    assert.match(page.url(), /\/cabinet\/requests\?done=appeal$/);
  });

  test('the registrar works the queue, answers both and records a disclosure', async () => {
    const registrar = clinic.registrar.page;
    await open(registrar, '/staff/subject-requests');
    await registrar.getByRole('heading', { name: 'Запросы о персональных данных и обращения' }).waitFor();
    await everyWidth(registrar, 'staff-requests-queue');
    await registrar.locator('#sr-requests + div a').first().click();
    await registrar.getByText('Прошу копию всех моих данных.').waitFor();
    await everyWidth(registrar, 'staff-request', { here: true });
    await registrar.locator('#text').fill('Копия ваших данных доступна в личном кабинете.');
    await press(registrar, 'Отправить ответ');
    await registrar.locator('#request-answer').waitFor();

    await open(registrar, '/staff/subject-requests');
    await registrar.locator('#sr-appeals + div a').first().click();
    await registrar.getByText('Можно ли прийти на анализы без записи?').waitFor();
    await everyWidth(registrar, 'staff-appeal', { here: true });
    await registrar.locator('#text').fill('Да, анализы сдают без записи с 8 до 11.');
    await press(registrar, 'Отправить ответ');
    await registrar.locator('#appeal-answer').waitFor();

    await open(registrar, `/staff/patients/${clinic.patientId}/disclosures`);
    await everyWidth(registrar, 'staff-disclosures');
    await registrar.locator('#recipient').fill('Следственный отдел по району');
    await registrar.locator('#data_given').fill('Даты визитов за 2026 год');
    await registrar.locator('#basis').selectOption('court_or_investigator');
    await registrar.locator('#document_ref').fill('Запрос № 12/345');
    await press(registrar, 'Записать');
    await registrar.getByText('Следственный отдел по району').first().waitFor();
  });

  test('the patient reads the answers and the copy of their data', async () => {
    const page = clinic.patient.page;
    await open(page, '/cabinet/requests');
    await page.getByText('Ответ дан').first().waitFor();
    await page.getByRole('link', { name: 'Доступ к моим данным' }).click();
    await page.locator('#request-answer').waitFor();
    await everyWidth(page, 'request-answered', { here: true });
    await open(page, '/cabinet/requests');
    await page.getByRole('link', { name: 'Вопрос' }).click();
    await page.locator('#appeal-answer').waitFor();
    await everyWidth(page, 'appeal-answered', { here: true });
    await open(page, '/cabinet/export');
    await page.getByText('Следственный отдел по району').waitFor();
    await everyWidth(page, 'export');
  });

  test('the administrator’s calendar upload names the bad line', async () => {
    const admin = clinic.admin.page;
    await open(admin, '/staff/calendar');
    await everyWidth(admin, 'staff-calendar');
    await admin.locator('#file').setInputFiles({ name: 'c.csv', mimeType: 'text/csv', buffer: Buffer.from('2028-01-01,holiday\n2028-02-30,holiday\n') });
    await press(admin, 'Загрузить');
    await admin.getByText('Строка 2', { exact: false }).waitFor();
  });
});
