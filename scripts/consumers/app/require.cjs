// A CommonJS backend loading the packages with require() (Node 20.19+ loads ES modules this way).
// Prints what each export is, for the check to judge.
const core = require('@ik-upload/core')
const server = require('@ik-upload/server')
const serverNode = require('@ik-upload/server/node')

const types = (module, names) => Object.fromEntries(names.map((name) => [name, typeof module[name]]))
const report = {
  '@ik-upload/core': types(core, ['upload', 'createUploader', 'UploadError', 'mergeOptions']),
  '@ik-upload/server': types(server, [
    'getAuthenticationParameters',
    'createAuthHandler',
    'verifyUploadSignature',
  ]),
  '@ik-upload/server/node': types(serverNode, ['createNodeAuthHandler', 'toNodeHandler']),
}
// One real call, so a module that loads but cannot run is caught too.
server
  .getAuthenticationParameters({ privateKey: 'private_key_test', token: 'your_token', expire: 1582269249 })
  .then(
    (params) => process.stdout.write(JSON.stringify({ report, signature: params.signature })),
    (error) => process.stdout.write(JSON.stringify({ report, error: String(error) })),
  )
