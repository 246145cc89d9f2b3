// The OpenAPI document, checked by an independent validator (the npm package
// @apidevtools/swagger-parser, locked in web/package-lock.json): the document
// against the OpenAPI 3.0 schema, every $ref resolved. A broken copy must
// fail, so the check is known to bite.
// Usage: node openapi_validate.cjs OPENAPI.json NODE_MODULES_DIR
'use strict';
const fs = require('fs');
const path = require('path');

const [docPath, nodeModules] = process.argv.slice(2);
const SwaggerParser = require(path.resolve(nodeModules, '@apidevtools', 'swagger-parser'));

async function main() {
  const doc = JSON.parse(fs.readFileSync(docPath, 'utf8'));
  const api = await SwaggerParser.validate(structuredClone(doc));
  const operations = Object.values(api.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
  console.log(`${path.basename(docPath)}: valid OpenAPI ${api.openapi}, ${Object.keys(api.paths).length} paths, ${operations} operations`);

  const broken = structuredClone(doc);
  delete broken.paths['/v1/simulate'].post.responses;
  broken.components.schemas.SimulateRequest.properties.days.type = 'decimal';
  try {
    await SwaggerParser.validate(broken);
  } catch (e) {
    console.log('a broken copy is refused: ' + e.message.split('\n')[0]);
    return;
  }
  throw new Error('the validator accepted a document without responses and with type "decimal"');
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
