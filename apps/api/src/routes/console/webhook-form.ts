/** The create form's values as typed, kept when it is shown again with errors. */
export interface EndpointFormValues {
  url: string
  description: string
  events: string[]
  wabaId: string
}

export const EMPTY_ENDPOINT_FORM: EndpointFormValues = {
  url: '',
  description: '',
  events: [],
  wabaId: '',
}

/** The form's fields as the API's create body: empty optional fields are left out. */
export function endpointFormValues(form: URLSearchParams): EndpointFormValues {
  return {
    url: (form.get('url') ?? '').trim(),
    description: (form.get('description') ?? '').trim(),
    events: form.getAll('events'),
    wabaId: form.get('wabaId') ?? '',
  }
}
