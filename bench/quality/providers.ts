/**
 * The synthetic keys of the quality corpus, one entry per provider and key kind.
 * Formats come from the providers' own documentation (prefixes, lengths, alphabets,
 * checksums). Every value is expanded at run time by test/support/examples.ts from a
 * template, so no key-shaped literal is ever written in this repository; templates
 * keep a `{{` right after each prefix for the same reason.
 *
 * `named: true` marks keys without a distinctive shape: a scanner can only recognise
 * them by the variable name on the left (`MISTRAL_API_KEY = "…"`), so the corpus only
 * ever renders them next to that name.
 */
import { createHash } from 'node:crypto';
import { expandTemplate, randomString, ALPHABETS, type Rng } from '../../test/support/examples.js';

export interface KeyValue {
  /** The text written into the file (a connection string, a URL, a key). */
  value: string;
  /** The part a scanner must report (defaults to the value). */
  secret: string;
}

export interface KeySpec {
  provider: string;
  kind: string;
  /** Environment-variable style name used in assignments. */
  env: string;
  /** Only recognisable through its name (no prefix, no structure). */
  named?: boolean;
  /** The value spans several lines (PEM blocks, PuTTY files). */
  multiline?: boolean;
  /** Key for the provider-specific idioms in languages.ts (`openai`, `stripe`, …). */
  idiom?: string;
  make(rng: Rng): KeyValue;
}

const t =
  (template: string) =>
  (rng: Rng): KeyValue => {
    const value = expandTemplate(template, rng);
    return { value, secret: value };
  };

/** A password that looks like one people choose for services: letters, digits, a few symbols. */
export function servicePassword(rng: Rng, length = 16 + rng.int(9), symbols = '!#%*+-_'): string {
  let out = randomString(rng, ALPHABETS.alnum!, length);
  const count = 1 + rng.int(3);
  for (let i = 0; i < count; i++) {
    const at = 1 + rng.int(out.length - 2);
    out = out.slice(0, at) + symbols[rng.int(symbols.length)] + out.slice(at + 1);
  }
  return out;
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)]!;

function dbUrl(scheme: string, port: number, path: string) {
  return (rng: Rng): KeyValue => {
    const user = pick(rng, ['app', 'admin', 'svc_orders', 'billing', 'api_user', 'reporting', 'root']);
    const password = servicePassword(rng, 14 + rng.int(12), '-_~');
    const host = pick(rng, [
      'db.internal.acme-corp.net',
      'prod-cluster-0.abc12.mongodb.net',
      'orders-db.c9x8y7.eu-west-1.rds.amazonaws.com',
      '10.0.3.17',
      'cache-primary.svc.cluster.local',
    ]);
    const hostPart = scheme === 'mongodb+srv' ? host : `${host}:${port}`;
    return { value: `${scheme}://${user}:${password}@${hostPart}${path}`, secret: password };
  };
}

/** PuTTY private key file (format 3, unencrypted). The secret is the private blob. */
function puttyKey(rng: Rng): KeyValue {
  const publicBlob = 'AAAAC3NzaC1lZDI1NTE5AAAA' + randomString(rng, ALPHABETS.base64!, 44);
  const privateBlob = 'AAAAI' + randomString(rng, ALPHABETS.base64!, 39);
  const mac = randomString(rng, ALPHABETS.hex!, 64);
  const comment = `${pick(rng, ['deploy', 'ci', 'ops'])}@${pick(rng, ['bastion', 'build-01', 'laptop'])}`;
  const value = [
    'PuTTY-User-Key-File-3: ssh-ed25519',
    'Encryption: none',
    `Comment: ${comment}`,
    'Public-Lines: 2',
    publicBlob.slice(0, 64),
    publicBlob.slice(64),
    'Private-Lines: 1',
    privateBlob,
    `Private-MAC: ${mac}`,
  ].join('\n');
  return { value, secret: privateBlob };
}

function azureConnectionString(rng: Rng): KeyValue {
  const account = `${pick(rng, ['prod', 'media', 'logs', 'backup'])}${randomString(rng, ALPHABETS.lowerdigits!, 8)}`;
  const key = randomString(rng, ALPHABETS.base64!, 86) + '==';
  return {
    value: `DefaultEndpointsProtocol=https;AccountName=${account};AccountKey=${key};EndpointSuffix=core.windows.net`,
    secret: key,
  };
}

/** Supabase service-role key: a JWT whose payload names the project and the role. */
function supabaseServiceRole(rng: Rng): KeyValue {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const iat = 1_650_000_000 + rng.int(100_000_000);
  const payload = Buffer.from(
    JSON.stringify({ iss: 'supabase', ref: randomString(rng, ALPHABETS.lower!, 20), role: 'service_role', iat, exp: iat + 315_360_000 }),
  ).toString('base64url');
  const signature = createHash('sha256')
    .update(randomString(rng, ALPHABETS.alnum!, 32))
    .digest('base64url');
  const value = `${header}.${payload}.${signature}`;
  return { value, secret: value };
}

export const KEY_SPECS: readonly KeySpec[] = [
  // --- AI providers ---------------------------------------------------------------
  { provider: 'OpenAI', kind: 'legacy', env: 'OPENAI_API_KEY', idiom: 'openai', make: t('sk-{{alnum:20}}T3BlbkFJ{{alnum:20}}') },
  {
    provider: 'OpenAI',
    kind: 'project',
    env: 'OPENAI_API_KEY',
    idiom: 'openai',
    make: t('sk-proj-{{base64url:74}}T3BlbkFJ{{base64url:74}}'),
  },
  { provider: 'OpenAI', kind: 'project-early', env: 'OPENAI_API_KEY', idiom: 'openai', make: t('sk-proj-{{alnum:48}}') },
  {
    provider: 'OpenAI',
    kind: 'service-account',
    env: 'OPENAI_API_KEY',
    idiom: 'openai',
    make: t('sk-svcacct-{{base64url:74}}T3BlbkFJ{{base64url:74}}'),
  },
  { provider: 'OpenAI', kind: 'admin', env: 'OPENAI_ADMIN_KEY', make: t('sk-admin-{{base64url:74}}T3BlbkFJ{{base64url:74}}') },
  { provider: 'OpenAI', kind: 'user', env: 'OPENAI_API_KEY', idiom: 'openai', make: t('sk-None-{{base64url:74}}T3BlbkFJ{{base64url:74}}') },
  { provider: 'Anthropic', kind: 'api', env: 'ANTHROPIC_API_KEY', idiom: 'anthropic', make: t('sk-ant-api03-{{base64url:93}}AA') },
  { provider: 'Anthropic', kind: 'admin', env: 'ANTHROPIC_ADMIN_KEY', make: t('sk-ant-admin01-{{base64url:93}}AA') },
  { provider: 'Google', kind: 'api-key', env: 'GOOGLE_API_KEY', idiom: 'gemini', make: t('AIza{{base64url:35}}') },
  { provider: 'Google', kind: 'oauth-client-secret', env: 'GOOGLE_CLIENT_SECRET', make: t('GOCSPX-{{base64url:28}}') },
  { provider: 'Groq', kind: 'api', env: 'GROQ_API_KEY', idiom: 'groq', make: t('gsk_{{alnum:52}}') },
  { provider: 'xAI', kind: 'api', env: 'XAI_API_KEY', make: t('xai-{{alnum:80}}') },
  { provider: 'OpenRouter', kind: 'api', env: 'OPENROUTER_API_KEY', make: t('sk-or-v1-{{hex:64}}') },
  { provider: 'Perplexity', kind: 'api', env: 'PERPLEXITY_API_KEY', make: t('pplx-{{alnum:48}}') },
  { provider: 'Replicate', kind: 'api', env: 'REPLICATE_API_TOKEN', idiom: 'replicate', make: t('r8_{{alnum:37}}') },
  { provider: 'Hugging Face', kind: 'access-token', env: 'HF_TOKEN', idiom: 'huggingface', make: t('hf_{{alpha:34}}') },
  { provider: 'Cohere', kind: 'api', env: 'COHERE_API_KEY', named: true, make: t('{{alnum:40}}') },
  { provider: 'Mistral', kind: 'api', env: 'MISTRAL_API_KEY', named: true, make: t('{{alnum:32}}') },
  { provider: 'DeepSeek', kind: 'api', env: 'DEEPSEEK_API_KEY', named: true, make: t('sk-{{hex:32}}') },
  { provider: 'Together', kind: 'api', env: 'TOGETHER_API_KEY', named: true, make: t('{{hex:64}}') },
  { provider: 'Fireworks', kind: 'api', env: 'FIREWORKS_API_KEY', named: true, make: t('fw_{{alnum:24}}') },
  { provider: 'Azure OpenAI', kind: 'api', env: 'AZURE_OPENAI_API_KEY', named: true, make: t('{{hex:32}}') },
  { provider: 'ElevenLabs', kind: 'api', env: 'ELEVENLABS_API_KEY', make: t('sk_{{hex:48}}') },
  { provider: 'LangSmith', kind: 'api', env: 'LANGSMITH_API_KEY', make: t('lsv2_pt_{{hex:32}}_{{hex:10}}') },

  // --- Cloud and developer platforms ------------------------------------------------
  { provider: 'AWS', kind: 'access-key-id', env: 'AWS_ACCESS_KEY_ID', make: t('AKIA{{base32:16}}') },
  { provider: 'AWS', kind: 'secret-access-key', env: 'AWS_SECRET_ACCESS_KEY', named: true, make: t('{{base64:40}}') },
  { provider: 'Azure', kind: 'storage-connection-string', env: 'AZURE_STORAGE_CONNECTION_STRING', make: azureConnectionString },
  { provider: 'GitHub', kind: 'classic-pat', env: 'GITHUB_TOKEN', idiom: 'github', make: t('gh' + 'p_{{crc32b62:30}}') },
  { provider: 'GitHub', kind: 'oauth', env: 'GITHUB_OAUTH_TOKEN', idiom: 'github', make: t('gh' + 'o_{{crc32b62:30}}') },
  { provider: 'GitHub', kind: 'app-installation', env: 'GH_APP_TOKEN', idiom: 'github', make: t('gh' + 's_{{crc32b62:30}}') },
  { provider: 'GitHub', kind: 'user-to-server', env: 'GH_USER_TOKEN', idiom: 'github', make: t('gh' + 'u_{{crc32b62:30}}') },
  { provider: 'GitHub', kind: 'fine-grained-pat', env: 'GITHUB_TOKEN', idiom: 'github', make: t('github_pat_{{alnum:22}}_{{alnum:59}}') },
  { provider: 'GitLab', kind: 'pat', env: 'GITLAB_TOKEN', make: t('glpat-{{base64url:20}}') },
  { provider: 'GitLab', kind: 'runner', env: 'CI_RUNNER_TOKEN', make: t('glrt-{{base64url:20}}') },
  { provider: 'GitLab', kind: 'deploy', env: 'GITLAB_DEPLOY_TOKEN', make: t('gldt-{{base64url:20}}') },
  { provider: 'Bitbucket', kind: 'app-password', env: 'BITBUCKET_APP_PASSWORD', make: t('ATBB{{alnum:32}}') },
  { provider: 'npm', kind: 'access-token', env: 'NPM_TOKEN', make: t('npm_{{crc32b62:30}}') },
  { provider: 'PyPI', kind: 'api-token', env: 'PYPI_API_TOKEN', make: t('{{pypi}}') },
  { provider: 'Docker Hub', kind: 'pat', env: 'DOCKERHUB_TOKEN', make: t('dckr_pat_{{base64url:27}}') },
  {
    provider: 'Slack',
    kind: 'bot-token',
    env: 'SLACK_BOT_TOKEN',
    idiom: 'slack',
    make: t('xox' + 'b-{{digits:11}}-{{digits:13}}-{{alnum:24}}'),
  },
  {
    provider: 'Slack',
    kind: 'user-token',
    env: 'SLACK_USER_TOKEN',
    idiom: 'slack',
    make: t('xox' + 'p-{{digits:11}}-{{digits:12}}-{{digits:13}}-{{hex:32}}'),
  },
  { provider: 'Slack', kind: 'app-token', env: 'SLACK_APP_TOKEN', make: t('xapp-1-A{{upperdigits:10}}-{{digits:13}}-{{hex:64}}') },
  {
    provider: 'Slack',
    kind: 'webhook',
    env: 'SLACK_WEBHOOK_URL',
    make: t('https://hooks.slack.com/services/T{{upperdigits:8}}/B{{upperdigits:10}}/{{alnum:24}}'),
  },
  { provider: 'Discord', kind: 'bot-token', env: 'DISCORD_BOT_TOKEN', make: t('{{discordbot}}') },
  {
    provider: 'Discord',
    kind: 'webhook',
    env: 'DISCORD_WEBHOOK_URL',
    make: t('https://discord.com/api/webhooks/1{{digits:18}}/{{base64url:68}}'),
  },
  { provider: 'Telegram', kind: 'bot-token', env: 'TELEGRAM_BOT_TOKEN', idiom: 'telegram', make: t('{{digits:10}}:AA{{base64url:33}}') },
  { provider: 'Twilio', kind: 'auth-token', env: 'TWILIO_AUTH_TOKEN', named: true, make: t('{{hex:32}}') },
  { provider: 'SendGrid', kind: 'api', env: 'SENDGRID_API_KEY', idiom: 'sendgrid', make: t('SG.{{base64url:22}}.{{base64url:43}}') },
  { provider: 'Mailgun', kind: 'legacy', env: 'MAILGUN_API_KEY', make: t('key-{{hex:32}}') },
  { provider: 'Mailgun', kind: 'api', env: 'MAILGUN_API_KEY', named: true, make: t('{{hex:32}}-{{hex:8}}-{{hex:8}}') },
  { provider: 'Mailchimp', kind: 'api', env: 'MAILCHIMP_API_KEY', make: t('{{hex:32}}-us1{{digits:1}}') },
  { provider: 'Stripe', kind: 'secret', env: 'STRIPE_SECRET_KEY', idiom: 'stripe', make: t('sk_live_{{alnum:99}}') },
  { provider: 'Stripe', kind: 'secret-short', env: 'STRIPE_SECRET_KEY', idiom: 'stripe', make: t('sk_live_{{alnum:24}}') },
  { provider: 'Stripe', kind: 'restricted', env: 'STRIPE_RESTRICTED_KEY', idiom: 'stripe', make: t('rk_live_{{alnum:99}}') },
  { provider: 'Stripe', kind: 'webhook-secret', env: 'STRIPE_WEBHOOK_SECRET', make: t('whsec_{{alnum:32}}') },
  { provider: 'Shopify', kind: 'access-token', env: 'SHOPIFY_ACCESS_TOKEN', make: t('shpat_{{hex:32}}') },
  { provider: 'Shopify', kind: 'shared-secret', env: 'SHOPIFY_API_SECRET', make: t('shpss_{{hex:32}}') },
  { provider: 'Square', kind: 'access-token', env: 'SQUARE_ACCESS_TOKEN', make: t('EAAA{{base64url:60}}') },
  { provider: 'Square', kind: 'oauth-secret', env: 'SQUARE_APPLICATION_SECRET', make: t('sq0csp-{{base64url:43}}') },
  {
    provider: 'PayPal',
    kind: 'braintree-access-token',
    env: 'BRAINTREE_ACCESS_TOKEN',
    make: t('access_token$production${{lowerdigits:16}}${{hex:32}}'),
  },
  { provider: 'DigitalOcean', kind: 'pat', env: 'DIGITALOCEAN_TOKEN', make: t('dop_v1_{{hex:64}}') },
  { provider: 'DigitalOcean', kind: 'oauth', env: 'DO_OAUTH_TOKEN', make: t('doo_v1_{{hex:64}}') },
  { provider: 'Heroku', kind: 'api-key', env: 'HEROKU_API_KEY', make: t('HRKU-AA{{base64url:58}}') },
  { provider: 'Heroku', kind: 'api-key-uuid', env: 'HEROKU_API_KEY', named: true, make: t('{{uuid}}') },
  { provider: 'Vercel', kind: 'token', env: 'VERCEL_TOKEN', named: true, make: t('{{alnum:24}}') },
  { provider: 'Netlify', kind: 'pat', env: 'NETLIFY_AUTH_TOKEN', make: t('nfp_{{alnum:36}}') },
  { provider: 'Cloudflare', kind: 'api-token', env: 'CLOUDFLARE_API_TOKEN', named: true, make: t('{{base64url:40}}') },
  { provider: 'Cloudflare', kind: 'global-api-key', env: 'CLOUDFLARE_API_KEY', named: true, make: t('{{hex:37}}') },
  { provider: 'Cloudflare', kind: 'origin-ca-key', env: 'CF_ORIGIN_CA_KEY', make: t('v1.0-{{hex:24}}-{{hex:146}}') },
  { provider: 'Datadog', kind: 'api-key', env: 'DD_API_KEY', named: true, make: t('{{hex:32}}') },
  { provider: 'Datadog', kind: 'app-key', env: 'DD_APP_KEY', named: true, make: t('{{hex:40}}') },
  { provider: 'New Relic', kind: 'user-api-key', env: 'NEW_RELIC_API_KEY', make: t('NRAK-{{upperdigits:27}}') },
  { provider: 'New Relic', kind: 'license-key', env: 'NEW_RELIC_LICENSE_KEY', make: t('{{hex:36}}NRAL') },
  { provider: 'Sentry', kind: 'org-token', env: 'SENTRY_AUTH_TOKEN', make: t('{{sentryorg}}') },
  { provider: 'Sentry', kind: 'user-token', env: 'SENTRY_AUTH_TOKEN', make: t('sntryu_{{hex:64}}') },
  { provider: 'Linear', kind: 'api', env: 'LINEAR_API_KEY', make: t('lin_api_{{alnum:40}}') },
  { provider: 'Notion', kind: 'integration', env: 'NOTION_TOKEN', make: t('ntn_{{digits:11}}{{alnum:35}}') },
  { provider: 'Notion', kind: 'integration-legacy', env: 'NOTION_API_KEY', make: t('secret_{{alnum:43}}') },
  { provider: 'Atlassian', kind: 'api-token', env: 'ATLASSIAN_API_TOKEN', make: t('ATATT3{{base64url:186}}={{HEX:8}}') },
  { provider: 'Databricks', kind: 'pat', env: 'DATABRICKS_TOKEN', make: t('dapi{{hex:32}}') },
  { provider: 'Doppler', kind: 'personal-token', env: 'DOPPLER_TOKEN', make: t('dp.pt.{{alnum:43}}') },
  { provider: 'Doppler', kind: 'service-token', env: 'DOPPLER_TOKEN', make: t('dp.st.prd.{{alnum:40}}') },
  { provider: 'HashiCorp', kind: 'terraform-cloud-token', env: 'TFE_TOKEN', make: t('{{alnum:14}}.atlasv1.{{base64url:67}}') },
  { provider: 'HashiCorp', kind: 'vault-token', env: 'VAULT_TOKEN', make: t('hvs.{{alnum:24}}') },
  { provider: 'Supabase', kind: 'access-token', env: 'SUPABASE_ACCESS_TOKEN', make: t('sbp_{{hex:40}}') },
  { provider: 'Supabase', kind: 'service-role-key', env: 'SUPABASE_SERVICE_ROLE_KEY', make: supabaseServiceRole },
  { provider: 'Okta', kind: 'api-token', env: 'OKTA_API_TOKEN', named: true, make: t('00{{base64url:40}}') },
  { provider: 'Firebase', kind: 'fcm-server-key', env: 'FCM_SERVER_KEY', make: t('AAAA{{base64url:7}}:APA91b{{base64url:134}}') },

  // --- Structural secrets -----------------------------------------------------------
  { provider: 'Private key', kind: 'rsa', env: 'PRIVATE_KEY', multiline: true, make: t('{{pem:RSA}}') },
  { provider: 'Private key', kind: 'ec', env: 'EC_PRIVATE_KEY', multiline: true, make: t('{{pem:EC}}') },
  { provider: 'Private key', kind: 'pkcs8', env: 'SIGNING_KEY', multiline: true, make: t('{{pem:PKCS8}}') },
  { provider: 'Private key', kind: 'openssh', env: 'SSH_PRIVATE_KEY', multiline: true, make: t('{{pem:OPENSSH}}') },
  { provider: 'Private key', kind: 'pgp', env: 'GPG_PRIVATE_KEY', multiline: true, make: t('{{pem:PGP}}') },
  { provider: 'Private key', kind: 'putty', env: 'PUTTY_KEY', multiline: true, make: puttyKey },
  { provider: 'JWT', kind: 'signed', env: 'SERVICE_JWT', make: t('{{jwt}}') },
  { provider: 'Database URL', kind: 'postgres', env: 'DATABASE_URL', make: dbUrl('postgres', 5432, '/orders?sslmode=require') },
  { provider: 'Database URL', kind: 'mysql', env: 'MYSQL_URL', make: dbUrl('mysql', 3306, '/shop') },
  {
    provider: 'Database URL',
    kind: 'mongodb-srv',
    env: 'MONGODB_URI',
    make: dbUrl('mongodb+srv', 27017, '/app?retryWrites=true&w=majority'),
  },
  { provider: 'Database URL', kind: 'redis', env: 'REDIS_URL', make: dbUrl('redis', 6379, '/0') },
  { provider: 'Database URL', kind: 'amqp', env: 'AMQP_URL', make: dbUrl('amqp', 5672, '/vhost') },
  {
    provider: 'Generic',
    kind: 'db-password',
    env: 'DB_PASSWORD',
    named: true,
    make: (rng) => {
      const v = servicePassword(rng);
      return { value: v, secret: v };
    },
  },
  {
    provider: 'Generic',
    kind: 'django-secret-key',
    env: 'SECRET_KEY',
    named: true,
    make: (rng) => {
      const v = servicePassword(rng, 50, '!@#%^&*(-_=+)');
      return { value: v, secret: v };
    },
  },
  { provider: 'Generic', kind: 'jwt-secret', env: 'JWT_SECRET', named: true, make: t('{{hex:64}}') },
];

/** Keys that the hard cases embed: a spread of prefixed, named and structured kinds. */
export function specById(provider: string, kind: string): KeySpec {
  const spec = KEY_SPECS.find((s) => s.provider === provider && s.kind === kind);
  if (!spec) throw new Error(`no key spec ${provider}/${kind}`);
  return spec;
}
