import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyInstance, FastifySchema, FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';

/** Ajv as Fastify configures it, except where said. */
const AJV_OPTIONS = {
  // Reject unknown properties instead of silently dropping them (Fastify's default).
  removeAdditional: false,
  useDefaults: true,
  allErrors: true,
} as const;

type Validator = ((data: unknown, context?: unknown) => unknown) & { errors?: unknown; schemaEnv?: unknown };

/**
 * Validators and serializers that compile on a route's first use instead of at start-up, and a
 * body validator that does not coerce types.
 *
 * - Start-up: compiling ~75 routes' schemas (ajv and fast-json-stringify) took most of the app's
 *   build time, on every start, for routes most runs never call.
 * - Coercion belongs to the query string and path, which are text: `?limit=5`. A JSON body
 *   already says what type a value is, and coercing it is harmful: a `capacity: 0` that fails
 *   `minimum: 1` would be coerced to `null` (no limit) by the nullable branch and pass.
 */
export function useLazyCompilers(app: FastifyInstance): void {
  const ajv = AjvCompiler();
  const forBody = ajv({}, { customOptions: { ...AJV_OPTIONS, coerceTypes: false } });
  const forText = ajv({}, { customOptions: { ...AJV_OPTIONS, coerceTypes: 'array' } });
  const validatorCompiler: FastifySchemaCompiler<FastifySchema> = (route) => {
    let compiled: Validator | undefined;
    const validate: Validator = (data, context) => {
      compiled ??= (route.httpPart === 'body' ? forBody : forText)(route as never) as Validator;
      const result = compiled(data, context);
      validate.errors = compiled.errors;
      return result;
    };
    // Fastify passes the parent object (so ajv may replace a root value) only when this is set.
    validate.schemaEnv = true;
    return validate as ReturnType<FastifySchemaCompiler<FastifySchema>>;
  };
  app.setValidatorCompiler(validatorCompiler);

  const serializers = SerializerSelector()({}, {});
  const serializerCompiler: FastifySerializerCompiler<unknown> = (route) => {
    let compiled: ((data: unknown) => string) | undefined;
    return (data) => (compiled ??= serializers(route as never) as (data: unknown) => string)(data);
  };
  app.setSerializerCompiler(serializerCompiler);
}
