-- Demo photos: two members with a (tiny) PNG in the CRM, and one whose photo URL cannot be reached, which
-- doorsync reports for that member while the rest of it syncs (GET /admin/api/members/M005 shows it).
insert into ${crm_schema}.member_photos (member_id, image, image_url) values
    ('M002', decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'), null),
    ('M003', decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'), null),
    ('M005', null, 'https://photos.example.invalid/m005.jpg');
