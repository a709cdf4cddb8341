// The hello-service API handler: returns the deployed commit so smoke tests can check it.
exports.handler = async () => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ service: "hello-service", commit: process.env.COMMIT_SHA || "unknown" }),
});
