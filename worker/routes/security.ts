/** OpenAPI security requirement shared by every authenticated route. */
export const bearerAuth = [{ bearerAuth: [] }];
