// Validates OpenActive RPDE feed pages offline with @openactive/data-model-validator (package.json).
// stdin: {"pages": [...], "activityList": {...}}; stdout: one JSON line {"errors": [...], "warnings": n, "items": n}.
// Errors are the results of severity "failure"; warnings and suggestions are counted, not failed on.
// Offline (loadRemoteJson: false) the validator cannot fetch the OpenActive activity list, and says so
// as a failure for every activity; the list is handed to it instead from the concepts our data file
// took from that list (quanmin/opendata/data/activities.csv), so each activity's @id and prefLabel are
// still checked against it.
const { validate } = require('@openactive/data-model-validator');
const JsonLoaderHelper = require('@openactive/data-model-validator/src/helpers/json-loader');

const ACTIVITY_LIST = 'https://openactive.io/activity-list';

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const original = JsonLoaderHelper.getFile;
  JsonLoaderHelper.getFile = async (url, options) => {
    if (url === ACTIVITY_LIST && input.activityList) {
      return {
        url, errorCode: JsonLoaderHelper.ERROR_NONE, statusCode: 200, contentType: 'application/ld+json',
        fetchTime: Date.now(), exception: null, data: input.activityList,
      };
    }
    return original.call(JsonLoaderHelper, url, options);
  };
  const errors = [];
  let warnings = 0;
  let items = 0;
  for (const page of input.pages) {
    items += page.items.length;
    const results = await validate(page, { loadRemoteJson: false, rpdeItemLimit: 1000000 });
    for (const r of results) {
      if (r.severity === 'failure') errors.push({ path: r.path, type: r.type, message: r.message });
      else warnings += 1;
    }
  }
  process.stdout.write(JSON.stringify({ errors, warnings, items }) + '\n');
}

main().catch((e) => { process.stderr.write(String((e && e.stack) || e)); process.exit(2); });
